#!/usr/bin/env python3
"""Deterministic syslog auth.log of realistic sshd traffic, for vouch's benchmarks and examples.

usage: gen-authlog.py LINES [--seed N] [--start 'YYYY-MM-DD HH:MM:SS' | --recent SECONDS] [--story]
       > auth.log

--recent SECONDS: the log ends about now and covers the last SECONDS (so that a daemon reading it
now, which ignores failures older than findtime, counts them).

The mix: about 10 % failures (wrong passwords for real and invalid users, invalid users),
3 % successful logins from a set of "friends" (IPv4 and IPv6), the rest ordinary noise (session
open/close, cron, disconnects, logind). With --story, lines that tell the quickstart's story are
woven in: a user who logs in and later mistypes her password (spared, not banned), an office
behind one NAT address where one person logs in and another fails (spared), and attackers who
are banned.
"""
import argparse
import datetime
import random
import sys

parser = argparse.ArgumentParser()
parser.add_argument("lines", type=int)
parser.add_argument("--seed", type=int, default=7)
parser.add_argument("--start", default="2026-03-01 00:00:00")
parser.add_argument("--recent", type=int)
parser.add_argument("--story", action="store_true")
parser.add_argument("--doc-addresses", action="store_true",
                    help="attackers from the documentation ranges only (for bundled examples)")
args = parser.parse_args()

rnd = random.Random(args.seed)
t = datetime.datetime.strptime(args.start, "%Y-%m-%d %H:%M:%S")
step = 400 if not args.story else 4000  # most milliseconds between two lines
if args.recent:
    t = datetime.datetime.now().replace(microsecond=0) - datetime.timedelta(seconds=args.recent)
    step = max(2, 2 * args.recent * 1000 // max(1, args.lines))
users = ["root", "admin", "oracle", "test", "ubuntu", "git", "postgres", "deploy", "alice", "bob"]
attackers = ["%d.%d.%d.%d" % (rnd.randint(1, 223), rnd.randint(0, 255), rnd.randint(0, 255),
                              rnd.randint(1, 254)) for _ in range(2000)]
if args.doc_addresses:
    # RFC 5737 and RFC 3849 ranges, clear of the story's own addresses (192.0.2.10, 203.0.113.7)
    attackers = (["192.0.2.%d" % i for i in range(128, 255)]
                 + ["203.0.113.%d" % i for i in range(128, 255)]
                 + ["2001:db8:f00::%x" % rnd.randint(1, 0xffff) for _ in range(100)])
friends = ["198.51.100.%d" % i for i in range(1, 60)] + ["2001:db8::%x" % i for i in range(1, 20)]


def stamp(when):
    day = "%2d" % when.day
    return when.strftime("%b ") + day + when.strftime(" %H:%M:%S")


def noise(pid):
    r = rnd.random()
    if r < 0.40:
        return "sshd[%d]: pam_unix(sshd:session): session closed for user %s" % (pid, rnd.choice(users))
    if r < 0.65:
        return "CRON[%d]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)" % pid
    if r < 0.85:
        return "sshd[%d]: Connection closed by %s port %d [preauth]" % (
            pid, rnd.choice(attackers), rnd.randint(1024, 65535))
    return "systemd-logind[%d]: New session %d of user %s." % (pid, rnd.randint(1, 99999), rnd.choice(users))


def traffic(pid):
    r = rnd.random()
    port = rnd.randint(1024, 65535)
    if r < 0.05:
        return "sshd[%d]: Failed password for invalid user %s from %s port %d ssh2" % (
            pid, rnd.choice(users), rnd.choice(attackers), port)
    if r < 0.08:
        return "sshd[%d]: Failed password for root from %s port %d ssh2" % (pid, rnd.choice(attackers), port)
    if r < 0.10:
        return "sshd[%d]: Invalid user %s from %s port %d" % (pid, rnd.choice(users), rnd.choice(attackers), port)
    if r < 0.13:
        return "sshd[%d]: Accepted publickey for %s from %s port %d ssh2: ED25519 SHA256:q2bVb3Xh0p0example" % (
            pid, rnd.choice(users), rnd.choice(friends), port)
    return noise(pid)


# The story: (line index, text) pairs woven into the traffic, in order.
story = []
if args.story:
    n = args.lines
    def at(fraction, text):
        story.append((int(n * fraction), text))
    at(0.05, "sshd[4101]: Accepted password for alice from 198.51.100.4 port 50112 ssh2")
    for i in range(6):
        at(0.30 + i * 0.001, "sshd[4%03d]: Failed password for alice from 198.51.100.4 port %d ssh2" % (200 + i, 50200 + i))
    at(0.40, "sshd[4301]: Accepted publickey for bob from 192.0.2.10 port 40001 ssh2: RSA SHA256:officeexample")
    for i in range(5):
        at(0.45 + i * 0.001, "sshd[4%03d]: Failed password for carol from 192.0.2.10 port %d ssh2" % (400 + i, 40100 + i))
    for i in range(8):
        at(0.60 + i * 0.001, "sshd[4%03d]: Failed password for invalid user admin from 203.0.113.7 port %d ssh2" % (500 + i, 33000 + i))
    for i in range(8):
        at(0.70 + i * 0.001, "sshd[4%03d]: Failed password for root from 2001:db8:bad::17 port %d ssh2" % (600 + i, 34000 + i))

out = sys.stdout
next_story = 0
for i in range(args.lines):
    t += datetime.timedelta(milliseconds=rnd.randint(1, step))
    pid = rnd.randint(1000, 65000)
    if next_story < len(story) and story[next_story][0] <= i:
        line = story[next_story][1]
        next_story += 1
    else:
        line = traffic(pid)
    out.write("%s host1 %s\n" % (stamp(t), line))
