#!/usr/bin/env python3
"""Writes clients.csv for the Contoso example (deterministic: seed 2006).

Run from this folder: python3 make_clients.py > clients.csv
The mix is what a 2006 estate looked like: mostly XP and Windows 2000 on the
Advanced Client, a tail of Legacy Clients on Windows 98/NT 4.0 and some left on
NT5, a few SMS 2.0 clients, a handful of Vista betas and x64 servers.
"""
import random

rng = random.Random(2006)
primaries = {"CEN": 1400, "NAM": 1500, "EUR": 1200, "APA": 700, "LAT": 400}
secondaries = {"NY1": 250, "TOR": 150, "PAR": 200, "FRA": 120, "SYD": 100}

adv_os = [("xp", 2, 50), ("xp", 1, 14), ("xp", 0, 3), ("w2000", 4, 16), ("w2000", 3, 3),
          ("w2003", 1, 6), ("w2003", 0, 3), ("vista", 0, 1), ("nt4", 6, 1), ("win98", 0, 1)]
leg_os = [("win98", 0, 35), ("nt4", 6, 25), ("winme", 0, 5), ("win95", 0, 3), ("xp", 2, 17),
          ("w2000", 4, 15)]


def pick(table):
    total = sum(w for *_, w in table)
    r = rng.uniform(0, total)
    for os_, sp, w in table:
        r -= w
        if r <= 0:
            return os_, sp
    return table[-1][:2]


print("name,site,kind,os,os_sp,arch,ie,client_version,autoupgrade_disabled,reassign_to,http_port,"
      "firewall,firewall_exceptions")
n = 0
def emit(site, kind, os_, sp, secondary):
    global n
    n += 1
    prefix = "SRV" if os_ == "w2003" else "WKS"
    name = f"{site}-{prefix}{n:05d}"
    arch = "x64" if os_ == "w2003" and rng.random() < 0.2 else "x86"
    ie = ""
    if os_ in ("win98", "win95", "winme"):
        ie = rng.choice(["5.0", "5.5", "6.0", "", "5.5"])
    elif os_ in ("nt4",):
        ie = rng.choice(["5.5", "6.0"])
    else:
        ie = "6.0"
    if kind == "legacy":
        version = "sms20" if rng.random() < 0.12 else rng.choice(["rtm", "sp1", "sp1"])
    else:
        version = rng.choice(["sp1", "sp1", "sp1", "rtm"])
    disabled = "true" if kind == "legacy" and rng.random() < 0.03 else ""
    reassign = ""
    if kind == "advanced" and site == "NAM" and rng.random() < 0.02:
        reassign = "EUR"  # moving to a site with client authentication: allowed
    port = ""
    # Windows Firewall is off by default on servers (the checklist); known
    # for the Windows Server 2003 SP1 clients, whom firewall-exceptions judges.
    firewall = "false" if os_ == "w2003" and sp >= 1 else ""
    print(f"{name},{site},{kind},{os_},{sp},{arch},{ie},{version},{disabled},{reassign},{port},{firewall},")


for site, count in primaries.items():
    for _ in range(count):
        if rng.random() < 0.85:
            os_, sp = pick(adv_os)
            emit(site, "advanced", os_, sp, False)
        else:
            os_, sp = pick(leg_os)
            emit(site, "legacy", os_, sp, False)
for site, count in secondaries.items():
    for _ in range(count):
        os_, sp = pick(leg_os)
        emit(site, "legacy", os_, sp, True)
