package dev.vouch.filter;

// TEMPORARY STUB
record DateSpan(int start, int end, String template) {}
