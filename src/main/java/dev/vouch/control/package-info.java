/**
 * vouch's control socket: the daemon's server, which checks who is calling by the peer's
 * credentials, and the command line's client. A request is a command line; the answer is what
 * that command printed and its exit code, so a command gives the same answer whether the daemon
 * ran it or the command line did.
 */
package dev.vouch.control;
