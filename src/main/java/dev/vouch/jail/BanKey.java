package dev.vouch.jail;

import dev.vouch.net.Cidr;

/** A network in a jail: the identity of a ban and of its ban count. */
public record BanKey(Cidr network, String jail) {}
