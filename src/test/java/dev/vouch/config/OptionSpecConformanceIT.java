package dev.vouch.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Splits and parses {@code name[key=value]} lists with {@link OptionSpec} and with fail2ban's own
 * {@code splitWithOptions} and {@code extractOptions}, on chosen and on random texts, and requires
 * the same parts, names, options and errors.
 */
class OptionSpecConformanceIT {
  private static final String PROGRAM = """
      import ast, sys
      from fail2ban.helpers import splitWithOptions, extractOptions
      for line in sys.stdin:
          parts = [p.strip() for p in splitWithOptions(ast.literal_eval(line)) if p.strip()]
          specs = []
          for part in parts:
              try:
                  name, options = extractOptions(part)
                  specs.append([name, [[k, v] for k, v in options.items()]])
              except ValueError:
                  specs.append(None)
          print(repr([parts, specs]))
      """;
  private static final List<String> CHOSEN = List.of(
      "iptables-multiport[name=sshd, port=\"ssh\", protocol=tcp]",
      "%(banaction)s[port=\"22, 2222\", protocol=\"tcp\", chain=\"<known/chain>\"]\n"
          + "sendmail-whois[sender=\"fail2ban <root@host>\", dest=root]",
      "dummy[target=\"/srv/x, y\"] log[path=/var/log/x.log]",
      "act[a=1][b=2]  act [c=3]\n\n  other",
      "x[p=\"<known/p>|three\"]",
      "a[x='single, quoted', y=\"]\"]",
      "broken[a=1\nnext",
      "a[x=1 y=2]b c",
      "a[x=1 y=\"]\"] b[x=a=1, y='],'] c",
      "a[k=v ,] [k=v]",
      "abuseipdb[abuseipdb_apikey=\"k\", abuseipdb_category=\"18,22\"]");

  @Test
  void splitsAndParsesLikeFail2ban() {
    List<String> texts = new ArrayList<>(CHOSEN);
    Random random = new Random(20231);
    String alphabet = "ab=,[]\"' \n_.x";
    for (int i = 0; i < 3000; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(24);
      for (int c = 0; c < length; c++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      texts.add(text.toString());
    }

    List<Object> answers = Fail2banClient.unpacked()
        .python(PROGRAM, texts.stream().map(OptionSpecConformanceIT::pythonString).toList());

    List<String> differences = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      Object ours = ours(texts.get(i));
      if (!ours.equals(answers.get(i))) {
        differences.add(pythonString(texts.get(i)) + "\n  fail2ban: " + answers.get(i)
            + "\n  vouch:    " + ours);
      }
    }
    assertTrue(differences.isEmpty(), String.join("\n", differences));
  }

  private static List<Object> ours(String text) {
    List<String> parts = OptionSpecSplitter.split(text);
    List<Object> specs = new ArrayList<>();
    for (String part : parts) {
      try {
        OptionSpec spec = OptionSpec.parse(part);
        List<Object> options = new ArrayList<>();
        spec.options().forEach((key, value) -> options.add(List.of(key, value)));
        specs.add(List.of(spec.name(), options));
      } catch (ConfigException e) {
        specs.add(null);
      }
    }
    List<Object> answer = new ArrayList<>();
    answer.add(parts);
    answer.add(specs);
    return answer;
  }

  private static String pythonString(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'";
  }
}
