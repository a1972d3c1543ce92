/** Internet addresses and networks: parsing, canonical text, containment and prefix lookup. */
package dev.vouch.net;
