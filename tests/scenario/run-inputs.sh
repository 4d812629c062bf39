#!/bin/bash
# sift run: text files, directories, .jsonl and stdin become documents in
# input order; dropped and failed documents are still written with their
# status; bad JSONL lines are reported with file:line and skipped; --explain
# tells per document and stage what changed; -o writes a file.
. "${srcdir:-.}"/tests/lib/diag.sh init
d="$SIFT_DYNNAME.d"
mkdir -p "$d/dir"
printf 'UPPER first\n' > "$d/dir/b.txt"
printf 'UPPER second\n' > "$d/dir/a.txt"
printf 'hidden\n' > "$d/dir/.hidden"
cat > "$d/in.jsonl" <<'JSONL'
{"id": "j1", "text": "DROP this one", "source": "feed-a"}
{"id": "j2", "text": "FAIL this one"}
not json at all
{"id": "j3"}
{"id": "j4", "text": "NOTE fine", "fields": {"lang_hint": "en"}}
JSONL

run_sift run --stages probe -o "$d/out.jsonl" "$d/dir" "$d/in.jsonl" 2> "$d/err"
rc=$?
[ $rc -eq 1 ] || error_exit "exit status $rc, want 1 (a failed document and bad input lines)"
json_check "$d/out.jsonl" '[x["id"] for x in docs] == ["a.txt", "b.txt", "j1", "j2", "j4"]' "input order, hidden file skipped"
json_check "$d/out.jsonl" 'by_id["a.txt"]["text"] == "UPPER SECOND\n"'
json_check "$d/out.jsonl" 'by_id["j1"]["status"] == {"state": "dropped", "stage": "probe", "reason": "asked to drop"}'
json_check "$d/out.jsonl" 'by_id["j1"]["source"] == "feed-a"'
json_check "$d/out.jsonl" 'by_id["j2"]["status"]["state"] == "failed" and by_id["j2"]["status"]["error"].startswith("EDOC")'
json_check "$d/out.jsonl" 'by_id["j4"]["fields"]["lang_hint"] == "en"' "input fields are kept"
json_check "$d/out.jsonl" 'all(list(x.keys())[:7] == ["id","source","text","fields","scores","status","trace"] for x in docs)' "schema keys in order"
json_check "$d/out.jsonl" 'all(x["trace"][0]["stage"] == "probe" and x["trace"][0]["us"] >= 0 for x in docs)'
expect_contains "$d/err" "where=$d/in.jsonl:3"
expect_contains "$d/err" "where=$d/in.jsonl:4"
expect_contains "$d/err" 'missing key \"text\"'

# stdin: plain text, and JSONL
printf 'UPPER piped' | run_sift run --stages probe - > "$d/stdin.jsonl" || error_exit "stdin text run failed"
json_check "$d/stdin.jsonl" 'docs[0]["id"] == "stdin" and docs[0]["text"] == "UPPER PIPED"'
printf '{"id":"s1","text":"UPPER x"}\n{"id":"s2","text":"y"}\n' | run_sift run --stages probe > "$d/stdin2.jsonl" ||
  error_exit "stdin jsonl run failed"
json_check "$d/stdin2.jsonl" '[x["id"] for x in docs] == ["s1", "s2"]'

# --explain goes to stderr, results still to stdout
printf 'NOTE explained' | run_sift run --stages probe --explain > "$d/ex.jsonl" 2> "$d/ex.err" || error_exit "explain run failed"
expect_contains "$d/ex.err" "== stdin (14 bytes)"
expect_contains "$d/ex.err" "-- probe 0.1.0"
expect_contains "$d/ex.err" "noted 14 bytes"
expect_contains "$d/ex.err" "score +probe.len = 14"
json_check "$d/ex.jsonl" 'len(docs) == 1'

# usage errors exit 2
run_sift run --stages "" < /dev/null > /dev/null 2>&1; [ $? -eq 2 ] || error_exit "empty --stages should exit 2"
run_sift run -p x --stages probe < /dev/null > /dev/null 2>&1; [ $? -eq 2 ] || error_exit "-p with --stages should exit 2"
exit_test
