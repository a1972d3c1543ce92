"""Oracle for vouch's date detection differential test: runs fail2ban's own DateDetector.

Reads one JSON request on stdin, writes one JSON answer on stdout. Needs PYTHONPATH pointing at
fail2ban's dist-packages and the TZ the test chose. Requests:

  {"mode": "templates"}
      the default templates (name, regex, weight, flags) and the %ExY regex
  {"mode": "filters", "config": DIR, "logs": DIR}
      the datepattern of each stock filter, for its default options and for each option set of
      its sample log's "# filterOptions:" lines, with the sample lines
  {"mode": "detect", "cases": [{"id", "now", "datepattern", "logtimezone", "lines"}]}
      per line: the span of group 1 [s, e), the template name t, and the time v (null when
      getTime gives None) or x (the exception fail2ban's processLine would die of)
"""
import datetime
import json
import os
import re
import sys
import time

from fail2ban.server.mytime import MyTime
from fail2ban.server.datedetector import DateDetector
from fail2ban.server import strptime


def templates_mode(request):
    dd = DateDetector()
    dd.addDefaultTemplate()
    return {
        "year": datetime.datetime.now().year,
        "exY": strptime.timeRE['ExY'],
        "templates": [
            {"name": t.name, "regex": t.template.regex, "weight": t.template.weight,
             "flags": t.template.flags}
            for t in dd.templates
        ],
    }


OPTION_LINE = re.compile(r'^#+ ?(filterOptions):(.+)$')


def filters_mode(request):
    from fail2ban.client.filterreader import FilterReader
    config, logs = request["config"], request["logs"]
    out = []
    for conf in sorted(os.listdir(os.path.join(config, "filter.d"))):
        if not conf.endswith(".conf") or conf.endswith("common.conf"):
            continue
        name = conf[:-5]
        sample = os.path.join(logs, name)
        lines, option_sets = [], [{}]
        if os.path.isfile(sample):
            with open(sample, encoding="utf-8", errors="surrogateescape") as f:
                for line in f:
                    line = line.rstrip("\r\n")
                    m = OPTION_LINE.match(line)
                    if m:
                        opts = json.loads(m.group(2))
                        for o in (opts if isinstance(opts, list) else [opts]):
                            option_sets.append(
                                {k: v for k, v in o.items() if not k.startswith("test.")})
                    elif line and not line.startswith("#"):
                        lines.append(line)
        seen = set()
        for opts in option_sets:
            try:
                reader = FilterReader(name, "jail", dict(opts), basedir=config)
                reader.read()
                reader.getOptions({})
                pattern = None
                for opt in reader.convert():
                    if opt[2] == "datepattern":
                        pattern = opt[3]
            except Exception as e:  # an option set this filter does not take
                continue
            if pattern in seen:
                continue
            seen.add(pattern)
            out.append({"filter": name, "options": opts, "datepattern": pattern,
                        "lines": lines})
    return {"filters": out}


def detect_case(case):
    MyTime.setTime(case["now"])
    # glibc's mktime starts from the offset of its previous call, which decides local times that
    # occur twice; give every case the same start (standard time), as a fresh vouch session has.
    time.mktime(datetime.datetime(2005, 1, 1, 12).timetuple())
    dd = DateDetector()
    try:
        if case.get("logtimezone") is not None:
            dd.default_tz = case["logtimezone"]
        pattern = case.get("datepattern")
        if pattern is not None:
            for p in filter(bool, map(str.strip, re.split('\n+', pattern))):
                dd.appendTemplate(p)
        if not len(dd.templates):
            dd.addDefaultTemplate()
        for t in dd.templates:
            # Templates are shared by all detectors of the process; start each case afresh.
            t.template.hits = 0
            t.template._compileRegex()
    except Exception as e:
        return {"id": case["id"], "error": "%s: %s" % (type(e).__name__, e)}
    results = []
    for line in case["lines"]:
        try:
            match, template = dd.matchTime(line)
        except Exception as e:
            results.append({"x": type(e).__name__})
            continue
        if not match:
            results.append(None)
            continue
        s, e = match.start(1), match.end(1)
        rec = {"s": s, "e": e, "t": template.name}
        text = line[s:e]
        if text:
            try:
                date = dd.getTime(text, (match, template))
                rec["v"] = date[0] if date is not None else None
            except Exception as ex:
                rec["x"] = type(ex).__name__
        results.append(rec)
    return {"id": case["id"], "names": [t.name for t in dd.templates], "results": results}


def detect_mode(request):
    return {"cases": [detect_case(case) for case in request["cases"]]}


def main():
    request = json.load(sys.stdin)
    mode = {"templates": templates_mode, "filters": filters_mode, "detect": detect_mode}
    json.dump(mode[request["mode"]](request), sys.stdout)


if __name__ == "__main__":
    main()
