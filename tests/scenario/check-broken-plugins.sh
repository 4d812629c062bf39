#!/bin/bash
# Every broken plugin is refused by `sift check` and `sift run` with one
# message that names the plugin file and the cause.
. "${srcdir:-.}"/tests/lib/diag.sh init
d="$SIFT_DYNNAME.d"
tp="$SIFT_BUILD/tests/plugins"
printf 'not an ELF file\n' > "$d/notso.so"

check_refusal() { # plugin-path-or-name, expected cause
  printf 'pipelines = ( { name = "default"; stages = ( { plugin = "%s"; } ); } );\n' "$1" > "$d/c.conf"
  run_sift check -c "$d/c.conf" > /dev/null 2> "$d/err" && error_exit "check accepted $1"
  expect_contains "$d/err" "$2"
  echo "x" | run_sift run -c "$d/c.conf" > /dev/null 2> "$d/err" && error_exit "run accepted $1"
  expect_contains "$d/err" "$2"
}

check_refusal "$tp/bad_magic.so" "$tp/bad_magic.so: bad magic"
check_refusal "$tp/newer_abi.so" "$tp/newer_abi.so: built for ABI 1.1, sift has 1.0"
check_refusal "$tp/other_major.so" "$tp/other_major.so: built for ABI 2.0, sift has 1.0"
check_refusal "$tp/no_entry.so" "$tp/no_entry.so: no entry symbol sift_plugin_entry"
check_refusal "$tp/no_process.so" "$tp/no_process.so: descriptor has no process function"
check_refusal "$d/notso.so" "$d/notso.so: cannot load"
check_refusal "$d/missing.so" "$d/missing.so: no such file"
check_refusal "nosuch" "plugin nosuch: no nosuch.so in"

# init failures surface at run time (check does not call init)
printf 'pipelines = ( { name = "default"; stages = ( { plugin = "init_fails"; } ); } );\n' > "$d/i.conf"
echo "x" | run_sift run -c "$d/i.conf" > /dev/null 2> "$d/err" && error_exit "run accepted init_fails"
expect_contains "$d/err" "$tp/init_fails.so: init failed: ESTATE: model file /nonexistent/model.bin is missing"
exit_test
