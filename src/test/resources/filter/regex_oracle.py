"""Python's own re, as the oracle for vouch's regex engines.

Reads {"cases": [{"pattern": P, "texts": [T, ...]}, ...]} as JSON on stdin and writes
{"answers": [A, ...]}: for each case either {"error": message} (Python rejects the pattern) or
{"spans": [S, ...]}, one per text: null where re.search finds nothing, else the spans of every
group, [start, end] or [-1, -1].
"""
import json
import re
import sys
import warnings

warnings.simplefilter("ignore")

request = json.load(sys.stdin)
answers = []
for case in request["cases"]:
    try:
        regex = re.compile(case["pattern"])
    except (re.error, RecursionError, OverflowError) as e:
        answers.append({"error": str(e)})
        continue
    spans = []
    for text in case["texts"]:
        match = regex.search(text)
        spans.append(None if match is None
                     else [list(match.span(g)) for g in range(regex.groups + 1)])
    answers.append({"spans": spans})
json.dump({"answers": answers}, sys.stdout)
