#!/usr/bin/env python3
"""A plan in the step kinds and order of shared/spec/plan.md, for the twin's
benchmark while `smsup plan` is not in the build: per site top-down
(replication-disable), backup, dbtest, disk-check, drw (secondary or RTM),
upgrade, settle, verify, console-upgrade, legacy-autoupgrade, advanced-push;
then itmu. Usage: straight_plan.py INVENTORY.yaml PLAN.json"""
import json
import sys

import yaml

inv_path, out_path = sys.argv[1], sys.argv[2]
with open(inv_path) as f:
    inv = yaml.safe_load(f)
sites = inv["sites"]
by_code = {s["code"]: s for s in sites}
children = {}
for s in sites:
    children.setdefault(s.get("parent"), []).append(s["code"])
order, queue = [], list(children.get(None, []))
while queue:
    c = queue.pop(0)
    order.append(c)
    queue.extend(children.get(c, []))

steps = []


def add(site, kind, after, host="", params=None, obj=""):
    sid = f"{site}/{kind}" + (f"/{obj}" if obj else "")
    steps.append({"id": sid, "kind": kind, "site": site, "host": host or None, "after": after,
                  "manual": False, "params": params or {}, "estimate_min": 10, "why": [],
                  "title": sid})
    return sid


done = []
for c in order:
    s = by_code[c]
    pv = [f"{s['parent']}/verify"] if s.get("parent") else []
    before = list(pv)
    db = s.get("database")
    if db:
        prev = []
        if db.get("replication"):
            prev = [add(c, "replication-disable", [])]
        b = add(c, "backup", prev)
        t = add(c, "dbtest", [b], params={"database": db.get("name", "SMS_" + c), "never_on": db["server"]})
        before.append(add(c, "disk-check", [t]))
    if s["type"] == "secondary" or (s["version"] == "rtm" and not s.get("drw_passed")):
        before.append(add(c, "drw", pv))
    up = add(c, "upgrade", before)
    st = add(c, "settle", [up])
    v = add(c, "verify", [st])
    done.append(v)
    for con in s.get("consoles") or []:
        add(c, "console-upgrade", [v], host=con["host"], obj=con["host"])
    done.append(add(c, "legacy-autoupgrade", [v]))
    done.append(add(c, "advanced-push", [v]))
add("*", "itmu", done)

plan = {"format": "smsup-plan/1", "hierarchy": inv["hierarchy"], "inventory": inv_path,
        "inventory_sha256": "", "created": "2006-06-12T08:00:00Z",
        "options": {"method": inv.get("method", "interactive"), "with_os_sp1": False,
                    "max_parallel": 4, "waived": [], "as_of": "2006-06-12"},
        "steps": steps}
with open(out_path, "w") as f:
    json.dump(plan, f)
