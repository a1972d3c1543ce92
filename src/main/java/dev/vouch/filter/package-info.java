/**
 * A compiled filter: date detection, prefregex, failregex and ignoreregex in fail2ban's dialect,
 * run on re2j (linear time) or, for what RE2 cannot express, on java.util.regex under a step
 * budget. Turns a log line into a {@link dev.vouch.filter.FilterMatch}.
 */
package dev.vouch.filter;
