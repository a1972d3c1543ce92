/**
 * The allowlist: allowances (a network vouched for, for some jails, until some time, with the
 * evidence of why), the rules for granting them, and the in-memory index that answers "is this
 * address allowed for jail J".
 */
package dev.vouch.allowlist;
