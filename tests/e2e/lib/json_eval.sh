# json_eval EXPR TEXT: prints the Python expression EXPR evaluated over the
# JSON document TEXT, bound to `j` (as `python3 -c "...print(EXPR)"` would);
# on a bad document or expression it says why on stderr and returns 1.
# yaml_eval EXPR TEXT: the same over a YAML document (a credentials file).
#
# One python3 answers every call of a script: it takes half a second or more
# to start on a loaded machine, and a script asks dozens of times. It runs as
# a coprocess started when this file is sourced (in the script's own shell,
# so that calls from command substitutions share it), reads one request a
# line (expression and document, base64) and dies with the script's shell.
_json_eval_py='
import base64, json, sys
def text(field):
    return base64.b64decode(field[1:]).decode()
for line in sys.stdin:
    kind, expr, doc = line.split()
    try:
        if kind == "yaml":
            import yaml
            j = yaml.safe_load(text(doc))
        else:
            j = json.loads(text(doc))
        status, out = "ok", str(eval(text(expr), {"json": json, "j": j}))
    except Exception as e:
        status, out = "err", "%s: %s" % (type(e).__name__, e)
    sys.stdout.write(status + " x" + base64.b64encode(out.encode()).decode() + "\n")
    sys.stdout.flush()
'
coproc JSON_EVAL { exec python3 -u -c "$_json_eval_py" 2>/dev/null; }
# Bash closes a coprocess's own descriptors in ( ) subshells: talk through copies.
exec {_json_eval_in}<&"${JSON_EVAL[0]}" {_json_eval_out}>&"${JSON_EVAL[1]}"

json_eval() { _eval_doc json "$@"; }
yaml_eval() { _eval_doc yaml "$@"; }

_eval_doc() {
  local kind=$1 expr doc status answer
  shift
  expr=x$(printf %s "$1" | base64 -w0)
  doc=x$(printf %s "$2" | base64 -w0)
  printf '%s %s %s\n' "$kind" "$expr" "$doc" >&"$_json_eval_out"
  if ! read -r status answer <&"$_json_eval_in"; then
    echo "json_eval: the evaluator is gone" >&2
    return 2
  fi
  answer=$(printf %s "${answer#x}" | base64 -d)
  if [[ $status != ok ]]; then
    printf '%s_eval: %s (in %s)\n' "$kind" "$answer" "$1" >&2
    return 1
  fi
  printf '%s\n' "$answer"
}
