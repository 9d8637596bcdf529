"""The oracle of tests/ini_fuzz.rs: Python's configparser judging pio's edits of config.ini.

Reads one JSON request per line on stdin and answers one JSON line on stdout, so that one python3
process checks thousands of cases. A request is a config.ini text, a sequence of inventory
commands, and what pio made of each (the edited text, or its error):

  {"text": "...", "host": "leader1",
   "ops": [{"op": "add", "name": "w1", "active": true, "ip": "10.0.0.2" | null},
           {"op": "remove", "name": "w1"}, {"op": "set_active", "name": "w1", "active": false}],
   "results": [{"ok": "<text after>"} | {"err": "<message>"}, ...]}

The answer is {"valid": false} when either reader refuses the text to begin with (the case is not
a config.ini the Pioreactor stack could use), else {"valid": true, "fail": null} or
{"valid": true, "fail": "<what went wrong>", "op": <index>}.

Both readers of the Pioreactor stack are the oracle: "legacy" (releases up to 2023: keys
lower-cased, strict) and "current" (keys as written, strict=False), each read as the stack reads
the file: open() in text mode, universal newlines. For each command the oracle applies its meaning
to what each reader saw, and the edited text must read exactly as that. Besides, every line pio did
not mean to touch must still be there, byte for byte (ending included) and in order.
"""
import configparser
import io
import json
import re
import sys

MODES = ("current", "legacy")
SECTCRE = configparser.RawConfigParser.SECTCRE
OPTCRE = configparser.RawConfigParser.OPTCRE_NV
BOOLEANS = configparser.RawConfigParser.BOOLEAN_STATES
LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n)")


class Refused(Exception):
    pass


def read(text, mode):
    if mode == "legacy":
        parser = configparser.ConfigParser(allow_no_value=True)
    else:
        parser = configparser.ConfigParser(allow_no_value=True, strict=False)
        parser.optionxform = str
    try:
        parser.read_file(io.StringIO(text, newline=None))
    except Exception as e:  # configparser's errors, and 3.11's AttributeError on a bare key
        raise Refused(f"{mode}: {type(e).__name__}: {e}") from None
    return {s: {k: parser.get(s, k, raw=True) for k in parser.options(s)} for s in parser.sections()}


def lines_of(text):
    """(content, ending) pairs, split as a text-mode file is read."""
    lines, end = [], 0
    for m in LINE.finditer(text):
        lines.append((m.group(1), m.group(2)))
        end = m.end()
    if end < len(text):
        lines.append((text[end:], ""))
    return lines


def spans(lines):
    """{(section, key as written): [key line, last continuation line]}, following
    RawConfigParser._read line by line (3.11, default options)."""
    found, sect, opt, level = {}, None, None, 0
    for i, (content, _) in enumerate(lines):
        stripped = content.strip()
        if not stripped or stripped[0] in "#;":
            continue
        indent = len(content) - len(content.lstrip())
        if sect is not None and opt is not None and indent > level:
            found[(sect, opt)][1] = i
            continue
        level = indent
        m = SECTCRE.match(stripped)
        if m:
            sect, opt = m.group("header"), None
            continue
        opt = OPTCRE.match(stripped).group("option").rstrip()
        found[(sect, opt)] = [i, i]
    return found


def find(ini, section, name):
    """The key of `section` that Python's str.lower makes `name`."""
    for key in ini.get(section, {}):
        if key.lower() == name.lower():
            return key
    return None


def pick(ini, new, old):
    return old if new not in ini and old in ini else new


class Model:
    """One reader's view of config.ini, and what a command should make of it."""

    def __init__(self, ini, host):
        self.ini, self.host = ini, host
        self.touched = []  # ("set" | "remove", section, key)
        self.added = []  # (section, key, value, new section?)

    def inventory(self):
        return pick(self.ini, "cluster.inventory", "network.inventory")

    def leader(self):
        topology = self.ini.get(pick(self.ini, "cluster.topology", "network.topology"), {})
        return topology.get("leader_hostname") or self.host

    def set(self, section, name, value):
        key = find(self.ini, section, name)
        if key is None:
            self.added.append((section, name, value, section not in self.ini))
            self.ini.setdefault(section, {})[name] = value
        elif self.ini[section][key] != value:
            self.touched.append(("set", section, key))
            self.ini[section][key] = value

    def apply(self, op):
        """The command's meaning; False when pio must refuse it (not in the inventory)."""
        inv, name = self.inventory(), op["name"]
        key = find(self.ini, inv, name)
        flag = "1" if op.get("active") else "0"
        if op["op"] == "add":
            if key is None or BOOLEANS[self.ini[inv][key].lower()] != op["active"]:
                self.set(inv, name, flag)
            if op["ip"] is not None:
                self.set("cluster.addresses", name, op["ip"])
            return True
        if key is None:
            return False
        if op["op"] == "set_active":
            if BOOLEANS[self.ini[inv][key].lower()] != op["active"]:
                self.set(inv, name, flag)
        else:
            del self.ini[inv][key]
            self.touched.append(("remove", inv, key))
            address = find(self.ini, "cluster.addresses", name)
            if address is not None and self.leader().lower() != name.lower():
                del self.ini["cluster.addresses"][address]
                self.touched.append(("remove", "cluster.addresses", address))
        return True


def check_lines(before, after, model, new_values):
    """Every line the command did not touch is in `after`, byte for byte and in order; the other
    lines of `after` are the touched and added ones, formatted as pio promises."""
    old, new = lines_of(before), lines_of(after)
    where = spans(old)
    gone, edited = set(), {}
    for kind, section, key in model.touched:
        first, last = where[(section, key)]
        gone.update(range(first + 1, last + 1))
        if kind == "remove":
            gone.add(first)
        else:
            edited[first] = new_values[(section, key)]
    keep = [i for i in range(len(old)) if i not in gone and i not in edited]
    # A lone \r before removed lines and a blank \n line after them would read as one \r\n: that
    # line may end with \r\n instead (pio's one way to keep every line).
    widened = set()
    for i, (_, ending) in enumerate(old):
        j = i + 1
        while j in gone:
            j += 1
        if ending == "\r" and j > i + 1 and j < len(old) and old[j][0] == "" and old[j][1].startswith("\n"):
            widened.add(i)
    same = lambda i, line: line == old[i] or (i in widened and line == (old[i][0], "\r\n"))
    endings = {e for _, e in old if e} or {"\n"}
    open_last = bool(old) and old[-1][1] == ""
    j, extra = 0, []
    for i in keep:
        while j < len(new):
            if same(i, new[j]) or (open_last and i == len(old) - 1 and new[j][0] == old[i][0]):
                break
            extra.append(new[j])
            j += 1
        else:
            return f"line {i + 1} of the original ({old[i][0]!r}, ending {old[i][1]!r}) is gone or changed"
        j += 1
    extra.extend(new[j:])
    # The edited key lines: same indentation, key and delimiter, the new value, the same ending.
    for i, value in edited.items():
        content, ending = old[i]
        m = OPTCRE.match(content.strip())
        lead = content[: len(content) - len(content.lstrip())]
        want_vi = m.group("vi") or "="
        match = [
            (c, e) for c, e in extra
            if (e == ending or (i in widened and e == "\r\n") or (open_last and i == len(old) - 1))
            and c.startswith(lead) and (mm := OPTCRE.match(c.strip()))
            and mm.group("option") == m.group("option") and (mm.group("vi") or "=") == want_vi
            and (mm.group("value") or "").strip() == value
        ]
        if not match:
            return f"line {i + 1} ({content!r}) was not rewritten to the value {value!r} in place"
        extra.remove(match[0])
    allowed = set()
    for section, key, value, new_section in model.added:
        allowed.add(f"{key}={value}")
        if new_section:
            allowed.update((f"[{section}]", ""))
    for content, ending in extra:
        if content.strip() not in allowed:
            return f"unexpected line {content!r}"
        if ending not in endings and not (ending == "" and (open_last or not old) and new[-1] == (content, ending)):
            return f"new line {content!r} has the ending {ending!r}, not its neighbours' ({sorted(endings)!r})"
    most = len(model.added) + sum(2 for *_, fresh in model.added if fresh)
    if len(extra) > most:
        return f"{len(extra)} new lines where at most {most} were expected"
    return None


def usable(ini):
    """Whether the stack could use this cluster: inventory values it reads as booleans, addresses
    and topology on one line each (pio refuses the others, with file and line)."""
    model = Model(ini, "")
    if any(v is None or v.lower() not in BOOLEANS for v in ini.get(model.inventory(), {}).values()):
        return False
    topology = ini.get(pick(ini, "cluster.topology", "network.topology"), {})
    single = list(ini.get("cluster.addresses", {}).values()) + [
        topology.get(k) for k in ("leader_hostname", "leader_address")
    ]
    return all(v is None or "\n" not in v for v in single)


def judge(request):
    text, host = request["text"], request["host"]
    try:
        views = {mode: read(text, mode) for mode in MODES}
    except Refused:
        return {"valid": False}
    if not all(usable(views[mode]) for mode in MODES):
        return {"valid": False}
    for index, (op, result) in enumerate(zip(request["ops"], request["results"])):
        models = {mode: Model(views[mode], host) for mode in MODES}
        meant = {mode: models[mode].apply(op) for mode in MODES}
        if meant["current"] != meant["legacy"]:
            return {"valid": False}
        if "err" in result:
            if meant["current"]:
                return {"valid": True, "op": index, "fail": f"pio refused: {result['err']}"}
            continue
        after = result["ok"]
        if not meant["current"]:
            return {"valid": True, "op": index, "fail": "pio accepted a name not in the inventory"}
        for mode in MODES:
            try:
                seen = read(after, mode)
            except Refused as e:
                return {"valid": True, "op": index, "fail": f"Python cannot read pio's edit: {e}\n{after!r}"}
            if seen != models[mode].ini:
                return {
                    "valid": True, "op": index,
                    "fail": f"Python ({mode}) reads {seen!r}\nwhere the command means {models[mode].ini!r}\nafter {after!r}",
                }
        model = models["current"]
        if not model.touched and not model.added:
            if after != text:
                return {"valid": True, "op": index, "fail": f"nothing to change, yet the text changed: {after!r}"}
        else:
            values = {(s, k): model.ini[s][k] for kind, s, k in model.touched if kind == "set"}
            why = check_lines(text, after, model, values)
            if why:
                return {"valid": True, "op": index, "fail": f"{why}\nbefore {text!r}\nafter  {after!r}"}
        text = after
    return {"valid": True, "fail": None}


def main():
    for line in sys.stdin:
        request = json.loads(line)
        try:
            answer = judge(request)
        except Exception as e:  # an oracle bug must show, not hang the test
            answer = {"valid": True, "fail": f"oracle error: {type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
