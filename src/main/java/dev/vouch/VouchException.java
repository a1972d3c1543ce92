package dev.vouch;

/**
 * The root of vouch's exceptions. Its message is user interface: it says what is wrong, where
 * (file:line when there is one) and, where it can, what to do next.
 */
public class VouchException extends RuntimeException {
  public VouchException(String message) {
    super(message);
  }

  public VouchException(String message, Throwable cause) {
    super(message, cause);
  }
}
