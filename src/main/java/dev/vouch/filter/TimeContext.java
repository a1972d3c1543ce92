package dev.vouch.filter;

// TEMPORARY STUB
record TimeContext(java.time.ZoneId zone, double now) {}
