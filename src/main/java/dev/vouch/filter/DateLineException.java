package dev.vouch.filter;

import dev.vouch.VouchException;

/**
 * A line on which fail2ban 1.0.2's date handling raises something other than the ValueError it
 * catches (a KeyError for an unknown zone abbreviation, a TypeError for a month without a day, an
 * IndexError for a date match at the very end of the line ...). fail2ban then logs "Failed to
 * process line" and drops the whole line; whoever catches this should drop it too.
 */
final class DateLineException extends VouchException {
  DateLineException(String message) {
    super(message);
  }
}
