# CsPyLive's companion compiler: compiles Python source files in a separate process, so that the host's own
# interpreter (whose GIL the audio thread needs) never spends milliseconds parsing. One JSON request a line on stdin:
#   {"id": 1, "path": "/abs/file.py"}
# one JSON answer a line on stdout:
#   {"id": 1, "ok": true, "code": "<base64 of marshal.dumps(code object)>", "magic": "<importlib magic, hex>"}
#   {"id": 1, "ok": false, "error": "SyntaxError: invalid syntax", "file": "...", "line": 12, "offset": 5, "text": "..."}
# The code object is compiled with the file's path as its filename, so tracebacks name the file and line.
import base64, importlib.util, json, marshal, sys, traceback

MAGIC = importlib.util.MAGIC_NUMBER.hex()

def answer(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()

def compile_file(req):
    path = req["path"]
    try:
        with open(path, "rb") as f:
            source = f.read()
        code = compile(source, path, "exec", dont_inherit=True)
        return {"id": req["id"], "ok": True, "code": base64.b64encode(marshal.dumps(code)).decode("ascii"), "magic": MAGIC}
    except SyntaxError as e:
        return {"id": req["id"], "ok": False, "error": f"{type(e).__name__}: {e.msg}", "file": e.filename or path,
                "line": e.lineno or 0, "offset": e.offset or 0, "text": (e.text or "").rstrip("\n")}
    except (OSError, ValueError, UnicodeDecodeError) as e:
        return {"id": req["id"], "ok": False, "error": f"{type(e).__name__}: {e}", "file": path, "line": 0, "offset": 0, "text": ""}

for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    try:
        req = json.loads(line)
    except ValueError:
        answer({"id": -1, "ok": False, "error": "bad request", "file": "", "line": 0, "offset": 0, "text": line[:200]})
        continue
    answer(compile_file(req))
