#!/usr/bin/python3
"""Check vouch's filter presets and their sample logs with the real fail2ban.

Runs every filter in filters/ (except the *common.conf include files) against
filters/samples/NAME.log the way fail2ban 1.0.2's own sample tests do, and
reports per filter:

  * fail2ban's verdict: its own FilterSamplesRegex test (samplestestcase.py),
    run unchanged on our files;
  * lines that must match / did match, lines that must not match / did match,
    and disagreements on host, time, user or any other expected group;
  * failregexes without a sample, per option set of the sample file;
  * RE2 compatibility of every failregex and ignoreregex after fail2ban's tag
    expansion (the <HOST>/<ADDR>/<IP6> expansion that fail2ban itself generates
    is set aside: vouch writes its own), as a text scan and, when re2j and java
    are available, by compiling with re2j;
  * the summary of fail2ban-regex on the sample file with the default options.

Usage (or run src/test/sh/check-filter-presets, which fetches fail2ban first):

  /usr/bin/python3 src/test/python/check_samples.py [--fail2ban DIR] [NAME...]

--fail2ban DIR is the root of an unpacked fail2ban 1.0.2 package (it must hold
usr/lib/python3/dist-packages/fail2ban and usr/bin/fail2ban-regex); default
$FAIL2BAN_ROOT, else target/fail2ban. Use the Python that fail2ban 1.0.2 was
packaged for (Debian 12's /usr/bin/python3, 3.11). Exit status is 0 when every
check passed, 1 otherwise.
"""

import argparse
import datetime
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FILTERS = os.path.join(REPO, "filters")
SAMPLES = os.path.join(FILTERS, "samples")

SPECIAL_LINE = re.compile(r"^#+ ?(failJSON|(?:file|filter)Options|addFILE):(.+)$")
# Constructs that RE2 (and so re2j) does not support.
RE2_FORBIDDEN = (
    ("lookahead", re.compile(r"\(\?[=!]")),
    ("lookbehind", re.compile(r"\(\?<[=!]")),
    ("named backreference", re.compile(r"\(\?P=")),
    ("conditional", re.compile(r"\(\?\(")),
    ("numeric backreference", re.compile(r"(?<!\\)\\[1-9]")),
    ("atomic group", re.compile(r"\(\?>")),
    ("possessive quantifier", re.compile(r"(?<!\\)[*+?}]\+")),
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_root = os.environ.get("FAIL2BAN_ROOT") or os.path.join(REPO, "target", "fail2ban")
    parser.add_argument("--fail2ban", default=default_root,
                        help="root of the unpacked fail2ban 1.0.2 package (default: $FAIL2BAN_ROOT, "
                             "else target/fail2ban as src/test/sh/fetch-fail2ban leaves it)")
    parser.add_argument("--re2j", default=None, help="path of re2j jar (default: search ~/.m2)")
    parser.add_argument("names", nargs="*", help="filters to check (default: all)")
    return parser.parse_args()


def filter_names():
    names = []
    for path in sorted(glob.glob(os.path.join(FILTERS, "*.conf"))):
        base = os.path.basename(path)
        if base.endswith("common.conf"):
            continue
        names.append(base[:-len(".conf")])
    return names


class Workspace:
    """A temporary fail2ban config dir and test-files dir that point at our files."""

    def __init__(self, names):
        self.root = tempfile.mkdtemp(prefix="vouch-samples-")
        self.config = os.path.join(self.root, "config")
        os.makedirs(self.config)
        os.symlink(FILTERS, os.path.join(self.config, "filter.d"))
        self.files = os.path.join(self.root, "files")
        os.makedirs(os.path.join(self.files, "logs"))
        for name in names:
            sample = os.path.join(SAMPLES, name + ".log")
            if os.path.exists(sample):
                os.symlink(sample, os.path.join(self.files, "logs", name))

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)


def load_fail2ban(root, workspace):
    dist = os.path.join(root, "usr", "lib", "python3", "dist-packages")
    if dist not in sys.path:
        sys.path.insert(0, dist)
    os.environ["FAIL2BAN_CONFIG_DIR"] = workspace.config
    from fail2ban.tests import utils as f2butils
    f2butils.initTests(None)
    from fail2ban.tests import samplestestcase
    samplestestcase.TEST_FILES_DIR = workspace.files
    return f2butils, samplestestcase


def run_fail2ban_test(samplestestcase, name):
    """fail2ban's own sample test for one filter; returns (ok, message)."""
    method = "testSampleRegexs%s" % name.upper()
    if not hasattr(samplestestcase.FilterSamplesRegex, method):
        return False, "fail2ban found no test for this filter"
    result = unittest.TestResult()
    samplestestcase.FilterSamplesRegex(method).run(result)
    problems = result.failures + result.errors
    if problems:
        text = problems[0][1]
        start = text.rfind("Error: ")
        lines = text[start if start >= 0 else 0:].strip().splitlines()
        return False, " | ".join(l.strip() for l in lines[:4])[:1500]
    return True, "passed"


class FilterReport:
    def __init__(self, name):
        self.name = name
        self.expected_match = 0
        self.matched = 0
        self.expected_miss = 0
        self.false_matches = []
        self.missed = []
        self.disagreements = []
        self.multiple = []
        self.checked = {}
        self.unused_regexes = []
        self.re2_problems = []
        self.re2j_checked = 0
        self.regex_count = 0
        self.option_sets = []
        self.f2b_test = (False, "not run")
        self.f2b_regex = ""
        self.problems = []

    def ok(self):
        return (self.f2b_test[0] and not self.false_matches and not self.missed
                and not self.disagreements and not self.multiple and not self.unused_regexes
                and not self.re2_problems and not self.problems)


def detailed_check(samplestestcase, name, report):
    """The sample-test logic of samplestestcase.py, counting instead of stopping."""
    from fail2ban.tests.utils import setUpMyTime, tearDownMyTime, TEST_NOW
    TEST_NOW_STR = samplestestcase.TEST_NOW_STR
    from fail2ban.server.filter import FileContainer
    helper = samplestestcase.FilterSamplesRegex("testFiltersPresent")
    helper.setUp()
    setUpMyTime()
    try:
        filters = {}

        def read(opts):
            fltOpts = helper._filterOptions(opts)
            fltName = opts.get("test.filter-name") or (str(fltOpts) if fltOpts else "")
            fltName = name + fltName
            if fltName not in filters:
                flt = helper._readFilter(fltName, name, os.environ["FAIL2BAN_CONFIG_DIR"], opts=fltOpts)
                filters[fltName] = (flt, opts)
            return fltName, filters[fltName][0], opts

        path = os.path.join(SAMPLES, name + ".log")
        files = [path]
        tests = None
        common = {}
        i = 0
        while i < len(files):
            container = FileContainer(files[i], "UTF-8", doOpen=True)
            container.waitForLineEnd = False
            i += 1
            faildata = {}
            ignore_block = False
            lineno = 0
            for line in container:
                lineno += 1
                special = SPECIAL_LINE.match(line)
                if special:
                    payload = json.loads(special.group(2))
                    kind = special.group(1)
                    if kind == "fileOptions":
                        common = payload
                        continue
                    if kind == "filterOptions":
                        tests = []
                        ignore_block = False
                        for opts in (payload if isinstance(payload, list) else [payload]):
                            merged = dict(common)
                            merged.update(opts)
                            if merged.get("test.condition"):
                                ignore_block = not eval(merged["test.condition"])
                            if not ignore_block:
                                tests.append(read(merged))
                        continue
                    if kind == "addFILE":
                        files.append(os.path.join(SAMPLES, payload))
                        continue
                    faildata = payload
                    line = next(container)
                    lineno += 1
                elif ignore_block or line.startswith("#") or not line.strip():
                    continue
                else:
                    faildata = {}
                if ignore_block:
                    continue
                if not tests:
                    tests = [read({})]
                line = line.rstrip("\r\n")
                where = "%s:%d" % (os.path.basename(files[i - 1]), lineno)
                for fltName, (flt, used), opts in tests:
                    if faildata.get("constraint") and not eval(faildata["constraint"]):
                        continue
                    regexes = flt.getFailRegex()
                    if opts.get("logtype") != "journal":
                        ret = flt.processLine(line)
                    else:
                        text = line
                        if opts.get("test.prefix-line"):
                            text = opts.get("test.prefix-line") + line
                        ret = flt.processLine(("", TEST_NOW_STR, text), TEST_NOW)
                    found = []
                    for r in ret or []:
                        idx, fid, ftime, fail = r
                        if fid is None or fail.get("nofail"):
                            used.add(idx)
                            continue
                        found.append(r)
                    expected = faildata.get("match", False)
                    tag = "%s [%s]" % (where, fltName[len(name):] or "defaults")
                    if expected:
                        report.expected_match += 1
                    else:
                        report.expected_miss += 1
                    if not found:
                        if expected:
                            report.missed.append("%s: %s" % (tag, line))
                        continue
                    if not expected:
                        report.false_matches.append("%s: %s" % (tag, line))
                        continue
                    report.matched += 1
                    if len(found) > 1:
                        report.multiple.append("%s: regexes %s" % (tag, [r[0] for r in found]))
                    idx, fid, ftime, fail = found[0]
                    used.add(idx)
                    for key, want in faildata.items():
                        if key in ("time", "match", "desc", "constraint"):
                            continue
                        got = fail.get(key)
                        if got is None and key == "host":
                            got = fid
                        if got is None and key == "attempts":
                            got = len(fail.get("matches", {}))
                        if isinstance(got, (set, list, dict)):
                            same = sorted(got) == sorted(want)
                        else:
                            same = got == want
                        report.checked[key] = report.checked.get(key, 0) + 1
                        if not same:
                            report.disagreements.append("%s: %s expected %r, got %r" % (tag, key, want, got))
                    if "time" in faildata:
                        t = faildata["time"]
                        fmt = "%Y-%m-%dT%H:%M:%S.%f" if "." in t else "%Y-%m-%dT%H:%M:%S"
                        local = datetime.datetime.strptime(t, fmt)
                        want = time.mktime(local.timetuple()) + local.microsecond / 1000000.0
                        report.checked["time"] = report.checked.get("time", 0) + 1
                        if ftime != want:
                            report.disagreements.append("%s: time expected %s (%s), got %s" % (
                                tag, t, want, ftime))
        for fltName, (flt, used), opts in [(k, v[0], v[1]) for k, v in filters.items()]:
            report.option_sets.append(fltName[len(name):] or "defaults")
            for idx, regex in enumerate(flt.getFailRegex()):
                if idx not in used:
                    report.unused_regexes.append("%s: regex %d has no sample" % (
                        fltName[len(name):] or "defaults", idx))
        return filters
    finally:
        tearDownMyTime()


def host_expansions():
    from fail2ban.server.failregex import Regex
    tags = ["<HOST>", "<ADDR>", "<SUBNET>", "<IP6>", "<IP4>", "<DNS>", "<F-IP6/>", "<F-IP4/>"]
    expansions = set()
    for tag in tags:
        for usedns in ("yes", "no", "raw"):
            expansions.add(Regex._resolveHostTag(tag, useDns=usedns))
    return sorted(expansions, key=len, reverse=True)


def re2_scan(report, filters):
    expansions = host_expansions()
    seen = []
    for fltName, (flt, used) in [(k, v[0]) for k, v in filters.items()]:
        for kind, regexes in (("failregex", flt.getFailRegex()), ("ignoreregex", flt.getIgnoreRegex())):
            for idx, regex in enumerate(regexes):
                stripped = regex
                for exp in expansions:
                    stripped = stripped.replace(exp, "(?:HOSTEXPANSION)")
                for what, pattern in RE2_FORBIDDEN:
                    if pattern.search(stripped):
                        report.re2_problems.append("%s %s %d [%s]: %s" % (
                            kind, what, idx, fltName[len(report.name):] or "defaults", stripped))
                seen.append((kind, idx, fltName, stripped))
    report.regex_count = len(seen)
    return seen


RE2J_PROGRAM = r"""
import com.google.re2j.Pattern;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

public class Re2jCompile {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    int failed = 0;
    while ((line = in.readLine()) != null) {
      int tab = line.indexOf('\t');
      String id = line.substring(0, tab);
      String regex = line.substring(tab + 1);
      try {
        Pattern.compile(regex);
        System.out.println("OK\t" + id);
      } catch (RuntimeException e) {
        failed++;
        System.out.println("FAIL\t" + id + "\t" + e.getMessage().replace('\n', ' '));
      }
    }
    System.exit(failed == 0 ? 0 : 1);
  }
}
"""


def find_re2j(explicit):
    if explicit:
        return explicit if os.path.exists(explicit) else None
    jars = sorted(glob.glob(os.path.expanduser("~/.m2/repository/com/google/re2j/re2j/*/re2j-*.jar")))
    jars = [j for j in jars if not j.endswith(("-sources.jar", "-javadoc.jar"))]
    return jars[-1] if jars else None


def re2j_compile(reports_and_regexes, jar, workdir):
    """Compile every expanded regex with re2j; returns a note, or None when skipped."""
    java = shutil.which("java")
    if not jar or not java:
        return "re2j compile skipped (no %s)" % ("re2j jar" if not jar else "java")
    source = os.path.join(workdir, "Re2jCompile.java")
    with open(source, "w") as out:
        out.write(RE2J_PROGRAM)
    lines = []
    index = {}
    for report, regexes in reports_and_regexes:
        for kind, idx, fltName, regex in regexes:
            key = "%d" % len(index)
            index[key] = (report, kind, idx, fltName)
            lines.append("%s\t%s" % (key, regex))
    proc = subprocess.run([java, "-cp", jar, source], input="\n".join(lines) + "\n",
                          capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        return "re2j compile could not run: %s" % proc.stderr.strip()[:500]
    for out in proc.stdout.splitlines():
        parts = out.split("\t")
        report, kind, idx, fltName = index[parts[1]]
        if parts[0] == "OK":
            report.re2j_checked += 1
        else:
            report.re2_problems.append("re2j rejects %s %d [%s]: %s" % (
                kind, idx, fltName[len(report.name):] or "defaults", parts[2]))
    return "re2j %s: compiled %d regexes" % (os.path.basename(jar), len(lines))


def run_fail2ban_regex(root, name):
    script = os.path.join(root, "usr", "bin", "fail2ban-regex")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(root, "usr", "lib", "python3", "dist-packages")
    env["TZ"] = "CET-01CEST-02,M3.5.0,M10.5.0"
    proc = subprocess.run(["/usr/bin/python3", script, os.path.join(SAMPLES, name + ".log"),
                           os.path.join(FILTERS, name + ".conf")],
                          capture_output=True, text=True, env=env)
    summary = [l.strip() for l in proc.stdout.splitlines() if l.startswith("Lines:")]
    if proc.returncode != 0 or not summary:
        return "fail2ban-regex failed (exit %d): %s" % (proc.returncode, (proc.stderr or proc.stdout).strip()[-500:])
    return summary[0]


def header_present(name):
    with open(os.path.join(FILTERS, name + ".conf")) as conf:
        first = conf.readline()
    return first.startswith("#")


def main():
    args = parse_args()
    if not os.path.isdir(os.path.join(args.fail2ban, "usr", "lib", "python3", "dist-packages", "fail2ban")):
        print("check_samples: no fail2ban package at %s; give --fail2ban DIR or run "
              "src/test/sh/fetch-fail2ban target/fail2ban" % args.fail2ban, file=sys.stderr)
        return 2
    names = args.names or filter_names()
    unknown = [n for n in names if not os.path.exists(os.path.join(FILTERS, n + ".conf"))]
    if unknown:
        print("check_samples: no filter %s in %s" % (", ".join(unknown), FILTERS), file=sys.stderr)
        return 2
    workspace = Workspace(names)
    reports = []
    try:
        _, samplestestcase = load_fail2ban(args.fail2ban, workspace)
        compiled = []
        for name in names:
            report = FilterReport(name)
            reports.append(report)
            if not os.path.exists(os.path.join(SAMPLES, name + ".log")):
                report.problems.append("no sample file filters/samples/%s.log" % name)
                continue
            if not header_present(name):
                report.problems.append("no header comment")
            report.f2b_test = run_fail2ban_test(samplestestcase, name)
            try:
                filters = detailed_check(samplestestcase, name, report)
            except Exception as e:  # a broken filter or sample file: report it, go on
                report.problems.append("detailed check failed: %s: %s" % (type(e).__name__, e))
                continue
            compiled.append((report, re2_scan(report, filters)))
            report.f2b_regex = run_fail2ban_regex(args.fail2ban, name)
        re2j_note = re2j_compile(compiled, find_re2j(args.re2j), workspace.root)
    finally:
        workspace.close()

    failed = 0
    for r in reports:
        status = "PASS" if r.ok() else "FAIL"
        failed += status == "FAIL"
        print("%s %s" % (status, r.name))
        print("    fail2ban sample test: %s" % (r.f2b_test[1] if not r.f2b_test[0] else "passed"))
        print("    must match: %d, matched: %d; must not match: %d, matched anyway: %d" % (
            r.expected_match, r.matched, r.expected_miss, len(r.false_matches)))
        checked = ", ".join("%s %d" % kv for kv in sorted(r.checked.items()))
        print("    values compared (%s), disagreements: %d" % (checked or "none", len(r.disagreements)))
        print("    option sets: %s; failregexes without samples: %d" % (
            ", ".join(r.option_sets) or "none", len(r.unused_regexes)))
        print("    RE2: %d regexes scanned, %d compiled with re2j, problems: %d" % (
            r.regex_count, r.re2j_checked, len(r.re2_problems)))
        print("    fail2ban-regex (default options): %s" % r.f2b_regex)
        for group in (r.problems, r.missed, r.false_matches, r.multiple, r.disagreements,
                      r.unused_regexes, r.re2_problems):
            for item in group:
                print("      ! %s" % item)
    print(re2j_note)
    print("%d passed, %d failed" % (len(reports) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
