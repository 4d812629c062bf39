#!/bin/bash
# sift check: a config with a typo and bad values names FILE:LINE for every
# problem and exits 1; the shipped config and a fixed one pass with exit 0.
. "${srcdir:-.}"/tests/lib/diag.sh init
d="$SIFT_DYNNAME.d"

cat > "$d/typo.conf" <<'CONF'
plugin_path = "";
limits = { max_attempts = 3;
  max_doc_byts = 100; };
pipelines = (
  { name = "default";
    stages = ( { plugin = "probe"; options = { count = 99; }; },
               { plugin = "nosuch"; } ); }
);
CONF
run_sift check -c "$d/typo.conf" > "$d/out" 2> "$d/err" && error_exit "check passed a broken config"
expect_contains "$d/err" "$d/typo.conf:3: unknown setting limits.max_doc_byts"
expect_contains "$d/err" "$d/typo.conf:6: stage probe: option count: must be between 1 and 10 (got 99)"
expect_contains "$d/err" "$d/typo.conf:7: stage nosuch: plugin nosuch: no nosuch.so in"
expect_contains "$d/err" "3 problems"

cat > "$d/syntax.conf" <<'CONF'
pipelines = (
  { name = ; stages = ( { plugin = "probe"; } ); }
);
CONF
run_sift check -c "$d/syntax.conf" 2> "$d/err2" && error_exit "check passed a syntax error"
expect_contains "$d/err2" "$d/syntax.conf:2: syntax error"

cat > "$d/good.conf" <<'CONF'
pipelines = ( { name = "default"; stages = ( { plugin = "probe"; options = { count = 9; }; } ); } );
CONF
run_sift check -c "$d/good.conf" > "$d/out3" 2>&1 || { cat "$d/out3"; error_exit "check refused a good config"; }
expect_contains "$d/out3" "ok (1 pipelines, 1 stages, 0 sinks)"
run_sift check -c "$d/good.conf" --plugins > "$d/out4" 2>&1 || error_exit "check --plugins failed"
expect_contains "$d/out4" "option count"
expect_contains "$d/out4" "an int in 1..10"

run_sift check -c "$srcdir/conf/siftd.conf" > "$d/out5" 2>&1 || { cat "$d/out5"; error_exit "shipped conf/siftd.conf does not pass sift check"; }
exit_test
