package dev.vouch.filter;

import java.util.HashMap;
import java.util.Map;

/**
 * A fixed offset from UTC as fail2ban reads zones ({@code strptime.py} {@code validateTimeZone},
 * {@code zone2offset}): an optional abbreviation from its table (CET, EST, Z ...) plus an optional
 * {@code [+-]hh[[:]mm]}, e.g. {@code UTC+0200}, {@code CET+01}, {@code -04:30}. Abbreviations are
 * fixed offsets: CET never turns into CEST. Used for {@code logtimezone} and for the zones that
 * {@code %z}, {@code %Z}, {@code %Exz} and {@code %ExZ} capture in a line.
 */
record TimeZoneOffset(int minutes) {
  private static final CompiledRegex FIXED_OFFSET =
      CompiledRegex.compile("^([A-Z](?:[A-Z]{2,4})?)?([+-][01]\\d(?::?\\d{2})?)?$", 0);

  /** fail2ban's TZ_STR: hours east of UTC, then the abbreviations at that offset. */
  private static final String[] TABLE = {
      "-12 Y",
      "-11 X NUT SST",
      "-10 W CKT HAST HST TAHT TKT",
      "-9 V AKST GAMT GIT HADT HNY",
      "-8 U AKDT CIST HAY HNP PST PT",
      "-7 T HAP HNR MST PDT",
      "-6 S CST EAST GALT HAR HNC MDT",
      "-5 R CDT COT EASST ECT EST ET HAC HNE PET",
      "-4 Q AST BOT CLT COST EDT FKT GYT HAE HNA PYT",
      "-3 P ADT ART BRT CLST FKST GFT HAA PMST PYST SRT UYT WGT",
      "-2 O BRST FNT PMDT UYST WGST",
      "-1 N AZOT CVT EGT",
      "0 Z EGST GMT UTC WET WT",
      "1 A CET DFT WAT WEDT WEST",
      "2 B CAT CEDT CEST EET SAST WAST",
      "3 C EAT EEDT EEST IDT MSK",
      "4 D AMT AZT GET GST KUYT MSD MUT RET SAMT SCT",
      "5 E AMST AQTT AZST HMT MAWT MVT PKT TFT TJT TMT UZT YEKT",
      "6 F ALMT BIOT BTT IOT KGT NOVT OMST YEKST",
      "7 G CXT DAVT HOVT ICT KRAT NOVST OMSST THA WIB",
      "8 H ACT AWST BDT BNT CAST HKT IRKT KRAST MYT PHT SGT ULAT WITA WST",
      "9 I AWDT IRKST JST KST PWT TLT WDT WIT YAKT",
      "10 K AEST ChST PGT VLAT YAKST YAPT",
      "11 L AEDT LHDT MAGT NCT PONT SBT VLAST VUT",
      "12 M ANAST ANAT FJT GILT MAGST MHT NZST PETST PETT TVT WFT",
      "13 FJST NZDT",
      "11.5 NFT",
      "10.5 ACDT LHST",
      "9.5 ACST",
      "6.5 CCT MMT",
      "5.75 NPT",
      "5.5 SLT",
      "4.5 AFT IRDT",
      "3.5 IRST",
      "-2.5 HAT NDT",
      "-3.5 HNT NST NT",
      "-4.5 HLV VET",
      "-9.5 MART MIT",
  };
  private static final Map<String, Integer> ABBREVIATIONS = abbreviations();

  /** What reading a zone text gave: an offset, or the way fail2ban fails on it. */
  sealed interface Reading {}

  record Known(TimeZoneOffset offset) implements Reading {}

  /** Python raised ValueError (fail2ban treats the date as unparsable). */
  record Malformed(String text) implements Reading {}

  /** Python raised KeyError: the abbreviation is not in the table (fail2ban drops the line). */
  record UnknownAbbreviation(String abbreviation) implements Reading {}

  /**
   * Parses a {@code logtimezone} value.
   *
   * @throws DatePatternException when fail2ban would refuse it, naming the accepted forms
   */
  static TimeZoneOffset parse(String logtimezone) {
    Reading reading = read(logtimezone);
    if (reading instanceof Known known) {
      return known.offset();
    }
    String what = reading instanceof UnknownAbbreviation unknown
        ? "unknown zone abbreviation '" + unknown.abbreviation() + "'"
        : "not a zone fail2ban reads";
    throw new DatePatternException(logtimezone, "logtimezone: " + what + ". Expected UTC, GMT,"
        + " Z or an abbreviation such as CET, optionally followed by an offset: UTC+0200,"
        + " CET+01, -04:30");
  }

  /** Reads a zone text the way {@code zone2offset} does. */
  static Reading read(String text) {
    RegexMatch match = FIXED_OFFSET.search(text);
    if (match == null) {
      return new Malformed(text);
    }
    String abbreviation = match.group(1);
    int base = 0;
    if (abbreviation != null && !abbreviation.isEmpty()) {
      Integer known = ABBREVIATIONS.get(abbreviation);
      if (known == null) {
        return new UnknownAbbreviation(abbreviation);
      }
      base = known;
    }
    String offset = match.group(2);
    if (offset == null || offset.isEmpty()) {
      return new Known(new TimeZoneOffset(base));
    }
    int sign = offset.charAt(0) == '-' ? -1 : 1;
    if (offset.length() <= 3) {
      return new Known(new TimeZoneOffset(base + Integer.parseInt(offset) * 60));
    }
    int hours = Integer.parseInt(offset.substring(1, 3));
    int minutes = offset.charAt(3) != ':'
        ? Integer.parseInt(offset.substring(3, 5))
        : Integer.parseInt(offset.substring(4, 6));
    return new Known(new TimeZoneOffset(base + sign * (hours * 60 + minutes)));
  }

  private static Map<String, Integer> abbreviations() {
    Map<String, Integer> offsets = new HashMap<>();
    for (String line : TABLE) {
      String[] words = line.split(" ");
      int minutes = (int) (Double.parseDouble(words[0]) * 60);
      for (int i = 1; i < words.length; i++) {
        offsets.put(words[i], minutes);
      }
    }
    return Map.copyOf(offsets);
  }
}
