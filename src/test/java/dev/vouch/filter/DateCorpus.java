package dev.vouch.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Log lines with dates in every form fail2ban's default templates know, and some they almost
 * know, in varied surroundings: the input of the differential test. Deterministic (fixed seed).
 */
final class DateCorpus {
  private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
      "Sep", "Oct", "Nov", "Dec"};
  private static final String[] FULL_MONTHS = {"January", "February", "March", "April", "May",
      "June", "July", "August", "September", "October", "November", "December"};
  private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  private static final String[] FULL_DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday",
      "Friday", "Saturday", "Sunday"};
  private static final int[] YEARS = {2005, 2005, 2005, 2004, 2003, 2013, 2019, 2024, 2029, 1999,
      2035, 2000};
  private static final String[] ZONES = {"Z", "UTC", "GMT", "+0100", "-0500", "+05:30", "-03:30",
      "+02", "-11", "CET", "CEST", "EST", "PDT", "utc", "XYZ", "+1959", "-0000"};
  private static final String[] BEFORE = {"", "", "", "[", "host ", "## ", "x",
      "server mysqld[1000]: ", "(", "\t", "<13>1 ", "  ", "1.2.3.4 - - [", "prefix: ", "@", "é "};
  private static final String[] AFTER = {
      " host sshd[4321]: Failed password for root from 192.0.2.1",
      "]", " ", "x", "1", ": message", "] [error] client 192.0.2.7", "", ".123 rest",
      " 2005 trailing", ",55 comma", " +0200 zone", " PM later", "Z", ":12 more"};

  private final Random random;

  DateCorpus(long seed) {
    this.random = new Random(seed);
  }

  /** About {@code perFamily} lines for each family, families in blocks, then all mixed. */
  List<String> lines(int perFamily) {
    List<List<String>> families = new ArrayList<>();
    for (Family family : Family.values()) {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < perFamily; i++) {
        lines.add(surround(family.date(this)));
      }
      families.add(lines);
    }
    List<String> all = new ArrayList<>();
    families.forEach(all::addAll);
    List<String> mixed = new ArrayList<>(all);
    java.util.Collections.shuffle(mixed, random);
    all.addAll(mixed.subList(0, Math.min(mixed.size(), perFamily * 4)));
    all.addAll(drifting(perFamily * 3));
    all.addAll(fixed());
    return all;
  }

  /**
   * Lines whose date moves: access logs with addresses of varying length, a second date in the
   * message, a few formats taking turns. These exercise fail2ban's last-position shortcut and its
   * nearest-date rule.
   */
  List<String> drifting(int count) {
    Family[] families = Family.values();
    List<String> lines = new ArrayList<>();
    Family family = Family.APACHE;
    for (int i = 0; i < count; i++) {
      if (random.nextInt(12) == 0) {
        family = families[random.nextInt(families.length)];
      }
      String address = random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256)
          + "." + random.nextInt(256);
      String date = family.date(this);
      lines.add(switch (random.nextInt(6)) {
        case 0 -> address + " - - [" + date + "] \"GET / HTTP/1.1\" 200 " + random.nextInt(999);
        case 1 -> address + " " + date + " " + families[random.nextInt(families.length)].date(this);
        case 2 -> "host" + "x".repeat(random.nextInt(4)) + ": " + date + ": msg " + address;
        case 3 -> date + " then " + families[random.nextInt(families.length)].date(this);
        default -> address.substring(0, 1 + random.nextInt(address.length() - 1)) + " " + date;
      });
    }
    return lines;
  }

  /** Dates of one family, bare (no surroundings). */
  List<String> dates(Family family, int count) {
    List<String> dates = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      dates.add(family.date(this));
    }
    return dates;
  }

  /** Hand-picked lines: ambiguity, bounds, calendars, zones, the edges of "now". */
  static List<String> fixed() {
    return List.of(
        "Jan 23 21:59:59 [sshd] error: PAM: Authentication failure",
        "some free text 030324  0:03:59 -- 2003-03-07 17:05:01 ...",
        "server mysqld[1000]: 030324  0:04:00 [Warning] Access denied foreign 2003-03-07 17:05:01",
        "server mysqld[1020]: Sep 16 21:30:26 server mysqld: 030916 21:30:26 [Warning] denied",
        "Test failure TestJan 23 21:59:59.011 2015 for 192.0.2.1",
        "Test failure Jan 23 21:59:59123456789 for 192.0.2.1",
        "Aug 8 11:25:50 20030f2329b8 Authentication failed from 192.0.2.1",
        "[Aug 8 11:25:50] 20030f2329b8 Authentication failed from 192.0.2.1",
        "Aug 8 11:25:50 2014 20030f2329b8 Authentication failed from 192.0.2.1",
        "0000-12-30 00:00:00 - 2003-12-30 00:00:00",
        "text:200333 010203 | date:20031230 010203",
        "00001230 010203 - 20030101 000000",
        "host error Jan 23 21:59:59 sshd: Failed",
        "host ERROR Jan 23 21:59:59 sshd: Failed",
        "PDT Apr 16 21:05:29 monit: denied",
        "XYZW Apr 16 21:05:29 monit: denied",
        "+00:00 Jan 23 21:59:59.011 2005 test",
        "Feb 29 10:00:00 host leap day in a year without one",
        "Feb 29 2004 10:00:00 host leap day",
        "2005-02-29 10:00:00 host not a date",
        "2005-04-31 10:00:00 host not a date",
        "2005-01-01 24:00:00 host not a time",
        "2005-01-01 23:59:60 host leap second",
        "Aug 14 11:59:59 host just before now",
        "Aug 14 12:00:00 host exactly now",
        "Aug 15 12:00:00 host a day ahead",
        "Aug 15 12:00:01 host a day and a second ahead",
        "Aug 15 13:30:00 host ahead",
        "Aug 15 10:00:00 +0000 zone",
        "Dec 31 23:59:59 host new year's eve",
        "Jan  1 00:00:00 host new year",
        "12:00:01 time only after now",
        "11:59:59 time only before now",
        "00:00:00 midnight",
        "23:59:59 late",
        "2005-03-27 02:30:00 spring gap",
        "2005-10-30 02:30:00 autumn overlap",
        "2005-10-30 01:30:00 autumn overlap in POSIX rules",
        "2005-03-13 02:30:00 US spring gap",
        "2005-11-06 01:30:00 US autumn overlap",
        "@4000000041f4104f00000000 dovecot",
        "@4000000041F4104F00000000 upper hex",
        "1106513999 portsentry",
        "[1106513999.000] nsd",
        "type=USER_AUTH msg=audit(1106513999.123:987): pid=1",
        "audit(1106513999:42) short",
        "1106513999123 milliseconds",
        "1106513999123456 microseconds",
        "11065139991 eleven digits",
        "123456789 nine digits",
        "Jan 23, 2005 9:59:59 PM tomcat",
        "Jan 23, 2005 12:59:59 AM tomcat midnight",
        "Jan 23, 2005 12:00:00 PM tomcat noon",
        "Jan-23-05 21:59:59 assp",
        "<01/23/05@21:59:59> bracketed",
        "050123 21:59:59 mysql",
        "050123  1:59:59 mysql two spaces",
        "20050123T215959 compact",
        "20050123 215959 compact space",
        "20050123T215959.123Z compact zone",
        "23-Jan-2005 21:59:59 +0100 named",
        "23/Jan/2005:21:59:59 -0000 apache",
        "01/23/2005:21:59:59 cpanel",
        "01-23-2005 21:59:59.252 dashed",
        "23-01-2005 21:59:59 day first",
        "23/01/05 21:59:59 short year",
        "2005-01-23T21:59:59.981746+01:00 iso",
        "2005.01.23 21:59:59 syslog-ng",
        "2005/01/23  9:59:59 two spaces",
        "2005-01-23 21:59:59,000 proftpd",
        "2005-01-23T20:59:59.252Z iso utc",
        "2005-01/23 21:59:59 mixed separators",
        "Sun Jan 23 21:59:59 2005 asctime",
        "Sun Jan 23 2005 21:59:59.011 asctime year first",
        "sun jan 23 21:59:59 lower case",
        "SUN JAN 23 21:59:59 upper case",
        "Jan 3 01:02:03 one digit day",
        "Jan  3  1:02:03 padded",
        "Jan 03 1:2:3 short fields",
        "Jan 23 21:59:59 2005 2005 twice a year",
        "Jan 23 29:59:59 bad hour",
        "Jan 32 10:00:00 bad day",
        "",
        " ",
        "no date line",
        "Jan 23",
        "21:59",
        "2005-01-23",
        "ΑΒΓ Jan 23 21:59:59 greek",
        "\u0663\u0660:\u0661\u0662:\u0661\u0663 arabic-indic digits",
        "Jan 23 21:59:59 \uD83D\uDE00 emoji after",
        "\uD83D\uDE00 Jan 23 21:59:59 emoji before",
        "user j\u00fcrgen Jan 23 21:59:59 from 192.0.2.1",
        "j\u00fcrgen: 2005-01-23 21:59:59 x",
        "2005-01-2\u0663 21:59:59 arabic digit",
        "\uff12\uff10\uff10\uff15-01-23 21:59:59 fullwidth year",
        "KELVIN \u212aAN 23 21:59:59",
        "Jan 23 21:59:59" + " x".repeat(3000),
        "x ".repeat(3000) + "Jan 23 21:59:59",
        "2005-01-1 ".repeat(3000) + "2005-01-23 21:59:59 tail",
        "\u00e9".repeat(100) + " 2005-01-23 21:59:59",
        // Python folds long s (U+017F) to s under IGNORECASE, in classes too
        "\u017fep 23 21:59:59 long s",
        "Sep 23 21:59:59 \u017fep 24 21:59:59");
  }

  /** The forms of dates. */
  enum Family {
    ISO {
      @Override
      String date(DateCorpus c) {
        String sep = c.pick("-", "-", "/", ".", "-");
        String sep2 = c.random.nextInt(20) == 0 ? c.pick("-", "/", ".") : sep;
        String t = c.pick("T", " ", "  ", "T");
        return c.year() + sep + c.two(c.month(), 5) + sep2 + c.two(c.day(), 5) + t + c.time24(8)
            + c.optional(4, c.pick(".", ",") + c.digits(1 + c.random.nextInt(7)))
            + c.optional(4, c.pick("", " ", "  ") + c.zone());
      }
    },
    ASCTIME {
      @Override
      String date(DateCorpus c) {
        return c.optional(3, c.weekday() + " ") + c.monthName() + " " + c.spaceDay() + " "
            + c.hourK() + ":" + c.two(c.random.nextInt(60), 0) + ":"
            + c.two(c.random.nextInt(61), 0)
            + c.optional(5, "." + c.digits(1 + c.random.nextInt(6)))
            + c.optional(5, " " + c.year());
      }
    },
    ASCTIME_YEAR {
      @Override
      String date(DateCorpus c) {
        return c.optional(3, c.weekday() + " ") + c.monthName() + " " + c.spaceDay() + " "
            + c.year() + " " + c.hourK() + ":" + c.min() + ":" + c.sec()
            + c.optional(5, "." + c.digits(3));
      }
    },
    DAY_MONTH_YEAR {
      @Override
      String date(DateCorpus c) {
        String sep = c.pick("-", "/");
        String year = c.random.nextBoolean() ? String.valueOf(c.year()) : c.two(c.year() % 100, 0);
        return c.two(c.day(), 4) + sep + c.two(c.month(), 4) + sep + year + " " + c.hourK() + ":"
            + c.min() + ":" + c.sec();
      }
    },
    APACHE {
      @Override
      String date(DateCorpus c) {
        String sep = c.pick("/", "-");
        return c.two(c.day(), 6) + sep + c.monthName() + sep + c.year() + c.pick(":", " ", "")
            + c.time24(0) + c.optional(4, "." + c.digits(3)) + c.optional(2, " " + c.zone());
      }
    },
    CPANEL {
      @Override
      String date(DateCorpus c) {
        return c.two(c.month(), 4) + "/" + c.two(c.day(), 4) + "/" + c.year() + ":" + c.time24(0);
      }
    },
    MONTH_DAY_YEAR {
      @Override
      String date(DateCorpus c) {
        return c.two(c.month(), 4) + "-" + c.two(c.day(), 4) + "-" + c.year() + " " + c.hourK()
            + ":" + c.min() + ":" + c.sec() + c.optional(3, "." + c.digits(3));
      }
    },
    EPOCH {
      @Override
      String date(DateCorpus c) {
        long seconds = 1_000_000_000L + (long) (c.random.nextDouble() * 200_000_000L);
        String number = c.random.nextInt(8) == 0 ? "1" + seconds : String.valueOf(seconds);
        number += c.optional(3, "." + c.digits(3 + c.random.nextInt(4)));
        if (c.random.nextInt(6) == 0) {
          number += c.digits(3 * (1 + c.random.nextInt(2)));
        }
        return switch (c.random.nextInt(4)) {
          case 0 -> "[" + number + "]";
          case 1 -> "audit(" + number + ":" + c.random.nextInt(999) + ")";
          default -> number;
        };
      }
    },
    TIME_ONLY {
      @Override
      String date(DateCorpus c) {
        return c.time24(10);
      }
    },
    SLASHED {
      @Override
      String date(DateCorpus c) {
        return "<" + c.two(c.month(), 3) + "/" + c.two(c.day(), 3) + "/" + c.two(c.year() % 100, 0)
            + "@" + c.time24(0) + ">";
      }
    },
    MYSQL {
      @Override
      String date(DateCorpus c) {
        return c.two(c.year() % 100, 0) + c.two(c.month(), 0) + c.two(c.day(), 0)
            + c.pick(" ", "  ") + c.hourK().strip() + ":" + c.min() + ":" + c.sec();
      }
    },
    TOMCAT {
      @Override
      String date(DateCorpus c) {
        return c.monthName() + " " + c.day() + ", " + c.year() + " " + (1 + c.random.nextInt(12))
            + ":" + c.min() + ":" + c.sec() + " " + c.pick("AM", "PM", "am", "pm");
      }
    },
    ASSP {
      @Override
      String date(DateCorpus c) {
        return c.monthName() + "-" + c.two(c.day(), 3) + "-" + c.two(c.year() % 100, 0) + " "
            + c.hourK() + ":" + c.min() + ":" + c.sec();
      }
    },
    COMPACT {
      @Override
      String date(DateCorpus c) {
        return c.year() + c.two(c.month(), 0) + c.two(c.day(), 0) + c.pick("T", " ", "  ")
            + c.two(c.random.nextInt(24), 0) + c.two(c.random.nextInt(60), 0)
            + c.two(c.random.nextInt(60), 0) + c.optional(4, "." + c.digits(3))
            + c.optional(4, c.zone());
      }
    },
    NAMED_ZONE {
      @Override
      String date(DateCorpus c) {
        return c.optional(2, c.pick("PDT", "CET", "EST", "XYZ", "error", "Zulu", "UTC") + " ")
            + c.optional(3, c.weekday() + " ") + c.monthName() + " " + c.spaceDay() + " "
            + c.hourK() + ":" + c.min() + ":" + c.sec() + c.optional(5, " " + c.year());
      }
    },
    OFFSET_ZONE {
      @Override
      String date(DateCorpus c) {
        return c.optional(2, c.pick("+00:00", "-0500", "Z", "GMT", "+01") + " ")
            + c.optional(3, c.weekday() + " ") + c.monthName() + " " + c.spaceDay() + " "
            + c.hourK() + ":" + c.min() + ":" + c.sec() + c.optional(5, " " + c.year());
      }
    },
    TAI64N {
      @Override
      String date(DateCorpus c) {
        long seconds = 1_000_000_000L + (long) (c.random.nextDouble() * 200_000_000L);
        return "@4000000" + String.format("%09x", seconds) + String.format("%08x",
            c.random.nextInt(Integer.MAX_VALUE));
      }
    },
    NAMES {
      @Override
      String date(DateCorpus c) {
        int month = c.random.nextInt(12);
        return c.pick(FULL_DAYS[c.random.nextInt(7)] + " ", "") + FULL_MONTHS[month] + " "
            + c.two(c.day(), 0) + " " + c.year() + " " + c.two(1 + c.random.nextInt(12), 0)
            + ":" + c.min() + ":" + c.sec() + " " + c.pick("AM", "PM");
      }
    };

    abstract String date(DateCorpus corpus);
  }

  String surround(String date) {
    return BEFORE[random.nextInt(BEFORE.length)] + date + AFTER[random.nextInt(AFTER.length)];
  }

  private String pick(String... options) {
    return options[random.nextInt(options.length)];
  }

  private String optional(int oneIn, String text) {
    return random.nextInt(oneIn) == 0 ? "" : text;
  }

  private int year() {
    return YEARS[random.nextInt(YEARS.length)];
  }

  private int month() {
    return random.nextInt(50) == 0 ? 13 : 1 + random.nextInt(12);
  }

  private int day() {
    return random.nextInt(40) == 0 ? 32 : 1 + random.nextInt(31);
  }

  private String monthName() {
    String name = MONTHS[random.nextInt(12)];
    return switch (random.nextInt(15)) {
      case 0 -> name.toLowerCase(java.util.Locale.ROOT);
      case 1 -> name.toUpperCase(java.util.Locale.ROOT);
      default -> name;
    };
  }

  private String weekday() {
    return DAYS[random.nextInt(7)];
  }

  /** The day as syslog writes it: space-padded to two characters. */
  private String spaceDay() {
    int day = day();
    return day < 10 && random.nextBoolean() ? " " + day : String.valueOf(day);
  }

  /** Two digits, or (one time in {@code unpaddedOneIn}) as few as needed. */
  private String two(int value, int unpaddedOneIn) {
    if (unpaddedOneIn > 0 && random.nextInt(unpaddedOneIn) == 0) {
      return String.valueOf(value);
    }
    return value < 10 ? "0" + value : String.valueOf(value);
  }

  private String hourK() {
    int hour = random.nextInt(40) == 0 ? 24 + random.nextInt(6) : random.nextInt(24);
    return hour < 10 ? pick("0" + hour, " " + hour, String.valueOf(hour)) : String.valueOf(hour);
  }

  private String min() {
    return two(random.nextInt(60), 8);
  }

  private String sec() {
    return two(random.nextInt(62), 8);
  }

  private String time24(int unpaddedOneIn) {
    return two(random.nextInt(24), unpaddedOneIn) + ":" + two(random.nextInt(60), unpaddedOneIn)
        + ":" + two(random.nextInt(61), unpaddedOneIn);
  }

  private String zone() {
    return ZONES[random.nextInt(ZONES.length)];
  }

  private String digits(int count) {
    StringBuilder digits = new StringBuilder(count);
    for (int i = 0; i < count; i++) {
      digits.append((char) ('0' + random.nextInt(10)));
    }
    return digits.toString();
  }
}
