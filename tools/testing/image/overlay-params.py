#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
# Apply Raspberry Pi overlay parameters to a compiled overlay, as the firmware does.
"""Usage: overlay-params.py IN.dtbo OUT.dtbo [NAME[=VALUE][,NAME[=VALUE]...]...]

fdtoverlay merges an overlay but ignores its /__overrides__ table, which the
Raspberry Pi firmware applies for "dtoverlay=NAME,PARAM=VALUE" lines. This
applies that table to the .dtbo before the merge, following the rules of
the firmware's dtoverlay library (Raspberry Pi documentation, "Device Trees,
overlays, and parameters", part 2.2) for the declarations it implements:

  <&label>,"prop"             string (with "status" mapped to okay/disabled)
  <&label>,"prop.N" ";N" ":N" "#N"   8, 16, 32, 64-bit integer at byte N
  <&label>,"prop?" / "prop!"  boolean / inverted boolean
  <&label>,"...{a=1,b,=c}"    a lookup table on a string or an integer
  <0>,"+N-N=N!N"              enable, disable, or follow the value for fragment N

A parameter without a value means "true", as in "dtoverlay=i2c-rtc,ds3231".
Anything else (byte strings, literal assignments, the "name", "reg" and
"bootargs" specials) is refused with an error rather than half applied.
Values and parameter order are as in config.txt: applied left to right.
"""

import sys

try:
    import libfdt
except ImportError:
    sys.exit("overlay-params: error: Python module libfdt is missing\n"
             "overlay-params: fix: apt-get install python3-libfdt "
             "(Debian's /usr/bin/python3 has it)")

ME = "overlay-params"
TRUE_WORDS = ("y", "yes", "on", "true", "down")
FALSE_WORDS = ("n", "no", "off", "false")
STATES = ("__dormant__", "__overlay__")


class ParamError(Exception):
    pass


def log(msg):
    print(f"{ME}: {msg}", file=sys.stderr)


def to_int(value):
    """An integer value as the firmware reads it: C literals, then words."""
    number = value[1:] if value[:1] in "+-" else value
    try:
        if number.isdigit() and number.startswith("0"):
            return int(value, 8)    # C's strtoull reads a leading 0 as octal
        if "_" not in number:
            return int(value, 0)
    except ValueError:
        pass
    if value in TRUE_WORDS:
        return 1
    if value in FALSE_WORDS:
        return 0
    if value == "up":
        return 2
    raise ParamError(f"invalid value '{value}': not a number nor a boolean word")


def split_declaration(data):
    """/__overrides__/NAME as a list of (phandle, string) pairs."""
    pairs = []
    while data:
        if len(data) < 6:
            raise ParamError("the declaration is truncated")
        phandle = int.from_bytes(data[:4], "big")
        end = data.find(0, 4)
        if end < 0:
            raise ParamError("a string in the declaration is not NUL-terminated")
        pairs.append((phandle, data[4:end].decode()))
        data = data[end + 1:]
    return pairs


def lookup(table, value):
    """Map VALUE through "{k=v,k,=default}"; a leading, trailing or empty
    pair lets an unmatched value through unchanged."""
    entries = table.split(",")
    passthrough = any(e == "" for e in entries)
    default = None
    for e in entries:
        if not e:
            continue
        key, sep, val = e.partition("=")
        val = val.strip("'") if sep else key
        if not key and sep:
            default = val
        elif key == value:
            return val
    if default is not None:
        return default
    if passthrough:
        return value
    raise ParamError(f"value '{value}' is not one of {{{table}}}")


class Overlay:
    def __init__(self, path):
        with open(path, "rb") as f:
            data = bytearray(f.read())
        self.fdt = libfdt.Fdt(data)
        self.fdt.resize(len(data) + 65536)  # room for properties to grow

    def save(self, path):
        self.fdt.pack()
        with open(path, "wb") as f:
            f.write(self.fdt.as_bytearray())

    def params(self):
        off = self.fdt.path_offset("/__overrides__", [libfdt.NOTFOUND])
        names = []
        if off < 0:
            return names
        prop = self.fdt.first_property_offset(off, [libfdt.NOTFOUND])
        while prop >= 0:
            names.append(self.fdt.get_property_by_offset(prop).name)
            prop = self.fdt.next_property_offset(prop, [libfdt.NOTFOUND])
        return names

    def declaration(self, name):
        off = self.fdt.path_offset("/__overrides__", [libfdt.NOTFOUND])
        prop = None
        if off >= 0:
            prop = self.fdt.getprop(off, name, [libfdt.NOTFOUND])
        if prop is None or isinstance(prop, int):
            known = ", ".join(self.params()) or "none"
            raise ParamError(f"the overlay has no parameter '{name}' (it has: {known})")
        return split_declaration(bytes(prop))

    def apply(self, name, value):
        for phandle, target in self.declaration(name):
            if phandle == 0:
                self.fragments(target, value)
            else:
                node = self.fdt.node_offset_by_phandle(phandle)
                self.set_property(node, target, value)

    def set_property(self, node, target, value):
        table = None
        if target.endswith("}") and "{" in target:
            target, _, table = target[:-1].partition("{")
            value = lookup(table, value)
        for bad in "[=":
            if bad in target:
                raise ParamError(f"'{target}': this helper does not implement '{bad}' declarations")
        name = target.rstrip("?!")
        for sep, size in ((".", 1), (";", 2), (":", 4), ("#", 8)):
            if sep in name:
                name, _, offset = name.partition(sep)
                self.set_integer(node, name, int(offset), size, to_int(value))
                return
        if name in ("name", "reg", "bootargs"):
            raise ParamError(f"'{name}': this helper does not implement that special property")
        if target.endswith("?") or target.endswith("!"):
            on = to_int(value) != 0
            if target.endswith("!"):
                on = not on
            if on:
                self.fdt.setprop(node, name, b"")
            else:
                self.fdt.delprop(node, name, [libfdt.NOTFOUND])
            return
        if name == "status":
            if value in ("y", "yes", "on", "true", "enable", "1"):
                value = "okay"
            elif value in ("n", "no", "off", "false", "0"):
                value = "disabled"
        self.fdt.setprop_str(node, name, value)

    def set_integer(self, node, name, offset, size, number):
        old = self.fdt.getprop(node, name, [libfdt.NOTFOUND])
        data = bytearray(b"" if isinstance(old, int) else bytes(old))
        if len(data) < offset + size:
            data.extend(bytes(offset + size - len(data)))
        data[offset:offset + size] = (number & ((1 << (8 * size)) - 1)).to_bytes(size, "big")
        self.fdt.setprop(node, name, bytes(data))

    def fragments(self, ops, value):
        i = 0
        while i < len(ops):
            op = ops[i]
            j = i + 1
            while j < len(ops) and ops[j].isdigit():
                j += 1
            if op not in "+-=!" or j == i + 1:
                raise ParamError(f"invalid fragment operation '{ops}'")
            frag = int(ops[i + 1:j])
            if op in "=!":
                on = to_int(value) != 0
                active = on if op == "=" else not on
            else:
                active = op == "+"
            self.set_fragment(frag, active)
            i = j

    def set_fragment(self, frag, active):
        for path in (f"/fragment@{frag}", f"/fragment-{frag}"):
            off = self.fdt.path_offset(path, [libfdt.NOTFOUND])
            if off >= 0:
                break
        else:
            raise ParamError(f"fragment {frag} not found")
        sub = self.fdt.subnode_offset(off, STATES[not active], [libfdt.NOTFOUND])
        if sub < 0:
            return
        self.fdt.set_name(sub, STATES[active])
        # fdtoverlay reads the fixup tables and __symbols__ by path: keep
        # them naming the fragment's new state.
        old, new = f"{path}/{STATES[not active]}", f"{path}/{STATES[active]}"
        for table in ("/__symbols__", "/__fixups__"):
            self.rename_paths(table, old, new)
        fix = self.fdt.path_offset("/__local_fixups__" + path, [libfdt.NOTFOUND])
        if fix >= 0:
            sub = self.fdt.subnode_offset(fix, STATES[not active], [libfdt.NOTFOUND])
            if sub >= 0:
                self.fdt.set_name(sub, STATES[active])

    def rename_paths(self, table, old, new):
        """In every string of TABLE's properties, replace the path prefix OLD."""
        off = self.fdt.path_offset(table, [libfdt.NOTFOUND])
        if off < 0:
            return
        updates = []
        prop = self.fdt.first_property_offset(off, [libfdt.NOTFOUND])
        while prop >= 0:
            p = self.fdt.get_property_by_offset(prop)
            strings = bytes(p).split(b"\0")[:-1]
            fixed = [new.encode() + s[len(old):] if s == old.encode() or
                     s.startswith(old.encode() + b"/") or
                     s.startswith(old.encode() + b":") else s for s in strings]
            if fixed != strings:
                updates.append((p.name, b"".join(s + b"\0" for s in fixed)))
            prop = self.fdt.next_property_offset(prop, [libfdt.NOTFOUND])
        for name, value in updates:
            self.fdt.setprop(off, name, value)


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print(__doc__, file=sys.stderr)
        return 2
    src, dst = argv[1], argv[2]
    try:
        ovl = Overlay(src)
    except (OSError, libfdt.FdtException) as e:
        log(f"error: cannot read overlay {src}: {e}")
        log("fix: give a .dtbo compiled with dtc -@")
        return 1
    params = [p for arg in argv[3:] for p in arg.split(",") if p]
    for p in params:
        name, sep, value = p.partition("=")
        if not sep:
            value = "true"
        log(f"{name}={value}")
        try:
            ovl.apply(name, value)
        except (ParamError, libfdt.FdtException) as e:
            log(f"error: parameter '{p}': {e}")
            log("fix: use a parameter and value from the overlay's Params (dts/README.rpi)")
            return 1
    ovl.save(dst)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
