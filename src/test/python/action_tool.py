#!/usr/bin/python3
"""Runs vouch's action presets (actions/*.conf) the way fail2ban 1.0.2 runs them, for tests.

Subcommands:

  run ACTION OPERATION [--opt KEY=VALUE]... [--family inet4|inet6] [--tags FILE]
      [--escape f2b|dq] [--print]
    Reads ACTION (a file in fail2ban's action.d format), substitutes the tags of OPERATION
    (actionstart, actionban, ...) and runs the result with /bin/sh under the action's `timeout`,
    exiting with the command's status (124 on timeout). --print prints the command instead, as
    a JSON list: the script first, then the positional arguments that /bin/sh -c gets.

    Tags are substituted in fail2ban's two passes (fail2ban/server/action.py):
      1. static: the action's options ([Definition], [Init], the --opt arguments, `name` and
         `actname`), recursively, up to 25 passes; for the IPv6 family a key of
         [Init?family=inet6] wins over the plain key; <br>, <sp>, <fq-hostname> and
         <sh-hostname> are built in; unknown tags stay as they are.
      2. dynamic: the values of the ban (--tags, a JSON object: ip, time, bantime, failures,
         matches, restored, F-USER, ...; family follows from ip), once and not recursively;
         <F-NAME> tags that the ban lacks become empty.
    How a dynamic value reaches the shell (--escape):
      f2b  fail2ban's way: a value with any of \\#&;`|*?~<>^()[]{}$'" CR LF is not written into
           the script; the tag becomes $f2bV_<tag> and the value a positional argument
           (`/bin/sh -c 'f2bV_F_user=$0 <LF>script' value`). Other values are inlined.
      dq   every value is inlined with \\ " $ ` escaped by a backslash, which is right only
           where the template has the tag inside double quotes (as every preset does).

  crosscheck --fail2ban ROOT ACTION...
    Substitutes every operation of each ACTION for both families with this tool and with
    fail2ban's own code (its ActionReader reads the file, its CommandAction substitutes the
    tags) and reports any difference. Needs fail2ban's Python package under ROOT.

  sink --dir DIR --port-file FILE [--status CODE] [--seconds N]
    A tiny HTTP server on 127.0.0.1 (an unused port, written to FILE) that records each
    request as DIR/N.json (method, path, headers) and DIR/N.body (the raw body), answers
    CODE (default 200), and exits after N seconds (default 60).
"""

import argparse
import configparser
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

# fail2ban/helpers.py and fail2ban/server/action.py
TAG_CRE = re.compile(r"<([^ <>]+)>")
FCUSTAG_CRE = re.compile(r"<F-([A-Z0-9_\-]+)>")
ESCAPE_CRE = re.compile(r"""[\\#&;`|*?~<>\^\(\)\[\]{}$'"\n\r]""")
ESCAPE_VN_CRE = re.compile(r"\W")
MAX_TAG_REPLACE_COUNT = 25
COND_SECTION = re.compile(r"^(\w+)\?(family)=(.*)$")
OPERATIONS = ("actionstart", "actionban", "actionunban", "actioncheck", "actionflush",
              "actionstop")


def config_parser():
    return configparser.ConfigParser(
        interpolation=configparser.BasicInterpolation(),
        comment_prefixes=("#", ";"), inline_comment_prefixes=(";",),
        strict=True, empty_lines_in_values=True)


def include_chain(path, seen=()):
    """The file and the files that its [INCLUDES] `before` and `after` name (relative to its
    directory), in the order fail2ban's ConfigReader reads them: before, the file, after."""
    if path in seen:
        raise SystemExit("action_tool: %s includes itself" % path)
    parser = config_parser()
    with open(path, encoding="utf-8") as handle:
        parser.read_file(handle)
    chain = {"before": [], "after": []}
    if parser.has_section("INCLUDES"):
        for key in chain:
            for name in parser.get("INCLUDES", key, raw=True, fallback="").split():
                included = os.path.join(os.path.dirname(path), name)
                chain[key] += include_chain(included, seen + (path,))
    return chain["before"] + [path] + chain["after"]


def read_action(path, opts, name):
    """The options of an action file, as fail2ban's server holds them: Definition, then Init,
    then the jail's arguments; conditional sections as `key?family=inet6`. Files named in
    [INCLUDES] are read as fail2ban reads them: `before` first, so that the file overrides them."""
    parser = config_parser()
    for included in include_chain(path):
        with open(included, encoding="utf-8") as handle:
            parser.read_file(handle)
    props = {}
    for section in parser.sections():
        if section in ("Definition", "Init", "INCLUDES"):
            continue
        match = COND_SECTION.match(section)
        if match and match.group(1) == "Init":
            for key in parser.options(section):
                props["%s?%s=%s" % (key, match.group(2), match.group(3))] = parser.get(section, key)
    for section in ("Definition", "Init"):
        if parser.has_section(section):
            for key in parser.options(section):
                props[key] = parser.get(section, key)
    for operation in OPERATIONS:
        props.setdefault(operation, "")
    props.update(opts)
    # fail2ban's ActionReader: the jail's name is an argument, so it beats [Init] name.
    if "name" not in opts:
        props["name"] = name
    props.setdefault("actname", os.path.splitext(os.path.basename(path))[0])
    return props


def fq_hostname():
    """fail2ban's <fq-hostname> (server/ipdns.py getfqdn, gh-2438): the canonical names that
    getaddrinfo gives for the host name, the first one that starts with `hostname.`, else the
    first one; Python's socket.getfqdn only when the lookup fails."""
    name = socket.gethostname()
    try:
        names = [info[3] for info in socket.getaddrinfo(
            name, None, 0, socket.SOCK_DGRAM, 0, socket.AI_CANONNAME) if info[3]]
    except socket.error:
        return socket.getfqdn(name)
    for candidate in names:
        if candidate.startswith(name + "."):
            return candidate
    return names[0] if names else None


def builtin_tag(tag):
    return {"br": "\n", "sp": " ", "fq-hostname": fq_hostname,
            "sh-hostname": socket.gethostname}.get(tag)


def substitute_static(query, props, family):
    conditional = "family=" + family if family else ""

    def value_of(match):
        tag = match.group(1)
        value = props.get(tag + "?" + conditional) if conditional else None
        if value is None:
            value = props.get(tag)
        if value is None:
            value = builtin_tag(tag)
            if callable(value):
                value = value()
        return match.group(0) if value is None else str(value)

    for _ in range(MAX_TAG_REPLACE_COUNT + 1):
        value = TAG_CRE.sub(value_of, query)
        if value == query or "<" not in value:
            return value
        query = value
    raise ValueError("self-referencing tags in %r" % query)


def substitute_dynamic(command, info, escape):
    """Returns the argv for /bin/sh -c: [script, positional arguments...]."""
    variables = {}

    def escaped(tag, value):
        if escape == "dq":
            return re.sub(r'([\\"$`])', r"\\\1", value)
        if ESCAPE_CRE.search(value):
            var = "f2bV_%s" % ESCAPE_VN_CRE.sub("_", tag)
            variables[var] = value
            return "$" + var
        return value

    def plain_tag(match):
        tag = match.group(1)
        if tag in info and not tag.startswith("F-"):
            return escaped(tag, str(info[tag]))
        value = builtin_tag(tag)
        if callable(value):
            value = value()
        return match.group(0) if value is None else value

    command = TAG_CRE.sub(plain_tag, command)
    captures = {key[2:].lower().replace("-", "_"): value
                for key, value in info.items() if key.startswith("F-")}

    def capture_tag(match):
        # fail2ban's mapTag2Opt: F-USER is the capture group `user`.
        key = match.group(1).lower().replace("-", "_")
        if key not in captures:
            return ""
        return escaped("F_" + key, str(captures[key]))

    if "<" in command:
        command = FCUSTAG_CRE.sub(capture_tag, command)
    if not variables:
        return [command]
    prefix = "".join("%s=$%d " % (var, index) for index, var in enumerate(variables))
    return [prefix + "\n" + command] + list(variables.values())


def family_of(address):
    return "inet6" if ":" in address else "inet4"


def ban_info(tags, family):
    """The dynamic tags of one ban, with fail2ban's defaults for what the test leaves out."""
    info = {"time": "%.6f" % time.time(), "bantime": 600, "failures": 1, "bancount": 1,
            "restored": 0, "matches": "", "ip": ""}
    info.update(tags)
    if isinstance(info.get("matches"), list):
        info["matches"] = "\n".join(info["matches"])
    info["family"] = family or family_of(info["ip"]) if info["ip"] else family or "inet4"
    return info


def expand(path, operation, opts, name, family, tags, escape):
    props = read_action(path, opts, name)
    info = ban_info(tags, family)
    static = substitute_static("<%s>" % operation, props, info["family"])
    return substitute_dynamic(static, info, escape), props


def seconds(text):
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    text = str(text).strip()
    return float(text[:-1]) * units[text[-1]] if text[-1:] in units else float(text)


def run_command(argv, timeout):
    process = subprocess.Popen(["/bin/sh", "-c"] + argv, start_new_session=True)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        print("action_tool: command timed out after %ss" % timeout, file=sys.stderr)
        return 124


def parse_opts(pairs):
    opts = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit("--opt wants KEY=VALUE, got %r" % pair)
        opts[key.strip().lower()] = value
    return opts


def cmd_run(args):
    tags = {}
    if args.tags:
        with open(args.tags, encoding="utf-8") as handle:
            tags = json.load(handle)
    argv, props = expand(args.action, args.operation, parse_opts(args.opt), args.name,
                         args.family, tags, args.escape)
    if args.print:
        print(json.dumps(argv, ensure_ascii=False))
        return 0
    if not argv[0].strip() or argv[0].strip() == "\n":
        return 0
    return run_command(argv, seconds(props.get("timeout", 60)))


def cmd_crosscheck(args):
    sys.path.insert(0, os.path.join(args.fail2ban, "usr/lib/python3/dist-packages"))
    from fail2ban.client.actionreader import ActionReader
    from fail2ban.server.action import CommandAction

    total = 0
    tags = {"ip": "", "time": "1700000000.25", "bantime": 600, "failures": 3, "bancount": 1,
            "restored": 0, "F-USER": "a\"b\\c$(touch /tmp/pwned);'d\nline two",
            "matches": "first 'line'\nsecond $line"}
    opts = parse_opts(args.opt)
    for path in args.actions:
        failures = 0
        base = os.path.splitext(os.path.basename(path))[0]
        with tempfile.TemporaryDirectory() as confdir:
            os.mkdir(os.path.join(confdir, "action.d"))
            # The whole directory, so that [INCLUDES] find the files they name.
            for sibling in os.listdir(os.path.dirname(os.path.abspath(path))):
                if sibling.endswith((".conf", ".local")):
                    shutil.copy(os.path.join(os.path.dirname(os.path.abspath(path)), sibling),
                                os.path.join(confdir, "action.d", sibling))
            reader = ActionReader(base, "testjail", dict(opts), basedir=confdir)
            if not reader.read():
                print("crosscheck: fail2ban could not read %s" % path)
                failures += 1
                continue
            reader.getOptions({})
            action = CommandAction(None, base)
            for entry in reader.convert():
                if entry[0] == "set" and entry[2] == "action":
                    setattr(action, entry[4], entry[5])
                elif entry[0] == "multi-set" and entry[2] == "action":
                    for key, value in entry[4]:
                        setattr(action, key, value)
        for family, ip in (("inet4", "192.0.2.1"), ("inet6", "2001:db8::1")):
            info = dict(tags, ip=ip, family=family)
            for operation in OPERATIONS:
                ours, _ = expand(path, operation, dict(opts), "testjail", family, info, "f2b")
                if operation in ("actionban", "actionunban"):
                    static = action.replaceTag("<%s>" % operation, action._properties,
                                               conditional="family=" + family)
                    f2b_info = dict(info)
                    f2b_info["F-*"] = {"user": info["F-USER"]}
                    del f2b_info["F-USER"]
                    theirs = action.replaceDynamicTags(static, f2b_info)
                else:
                    theirs = action._getOperation("<%s>" % operation, family)
                    theirs = action.replaceDynamicTags(theirs, info)
                theirs = theirs if isinstance(theirs, list) else [theirs]
                if theirs != ours:
                    failures += 1
                    print("crosscheck: %s %s %s differs\n  fail2ban: %s\n  ours:     %s" % (
                        base, operation, family, json.dumps(theirs), json.dumps(ours)))
        print("crosscheck: %s: %s" % (base, "differs" if failures else "same as fail2ban"))
        total += failures
    return 1 if total else 0


def cmd_sink(args):
    os.makedirs(args.dir, exist_ok=True)
    counter = {"n": 0}
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            with lock:
                counter["n"] += 1
                number = counter["n"]
            stem = os.path.join(args.dir, str(number))
            with open(stem + ".body", "wb") as handle:
                handle.write(body)
            with open(stem + ".json", "w", encoding="utf-8") as handle:
                json.dump({"method": self.command, "path": self.path,
                           "headers": dict(self.headers.items())}, handle)
            self.send_response(args.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_PUT = do_POST

        def log_message(self, *unused):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(args.port_file + ".tmp", "w") as handle:
        handle.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    threading.Timer(args.seconds, server.shutdown).start()
    server.serve_forever()
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run")
    run.add_argument("action")
    run.add_argument("operation", choices=OPERATIONS)
    run.add_argument("--opt", action="append")
    run.add_argument("--name", default="default")
    run.add_argument("--family", choices=("inet4", "inet6"))
    run.add_argument("--tags")
    run.add_argument("--escape", choices=("f2b", "dq"), default="f2b")
    run.add_argument("--print", action="store_true")
    cross = sub.add_parser("crosscheck")
    cross.add_argument("--fail2ban", required=True)
    cross.add_argument("--opt", action="append")
    cross.add_argument("actions", nargs="+")
    sink = sub.add_parser("sink")
    sink.add_argument("--dir", required=True)
    sink.add_argument("--port-file", required=True)
    sink.add_argument("--status", type=int, default=200)
    sink.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    handler = {"run": cmd_run, "crosscheck": cmd_crosscheck, "sink": cmd_sink}[args.command]
    sys.exit(handler(args))


if __name__ == "__main__":
    main()
