"""Print config.ini as Python's configparser sees it, as JSON: {section: {key: value}}.

mode "current": the Pioreactor stack since 2024 (keys keep their case, strict=False).
mode "legacy":  releases up to 2023 (keys lower-cased, strict duplicates).
"""
import configparser
import json
import sys

path, mode = sys.argv[1], sys.argv[2]
if mode == "legacy":
    parser = configparser.ConfigParser(allow_no_value=True)
else:
    parser = configparser.ConfigParser(allow_no_value=True, strict=False)
    parser.optionxform = str
with open(path, encoding="utf-8") as f:
    parser.read_file(f)
print(json.dumps({s: {k: parser.get(s, k, raw=True) for k in parser.options(s)} for s in parser.sections()}))
