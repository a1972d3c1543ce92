package dev.vouch.net;

import dev.vouch.VouchException;

/** Text that is not an IP address or network, with the reason in the message. */
public final class AddressFormatException extends VouchException {
  public AddressFormatException(String message) {
    super(message);
  }
}
