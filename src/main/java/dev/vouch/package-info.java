/**
 * vouch: success-driven allowlisting for fail2ban-style jails. The root package holds only the
 * root exception; every concept has its own package (see DESIGN.md §2).
 */
package dev.vouch;
