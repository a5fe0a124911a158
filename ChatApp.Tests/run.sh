#!/usr/bin/env bash
# The test command: checks what the tests need, runs every test, and closes with
# one plain line "N passed, N failed, N skipped".
#
#   bash ChatApp.Tests/run.sh                       # everything
#   bash ChatApp.Tests/run.sh --filter "FullyQualifiedName~Chat"   # extra arguments go to dotnet test
#
# Environment: CHAT_TEST_TIMEOUT (whole run, default 30m), CHAT_TEST_HANG_TIMEOUT (one test, default 5m),
# CHAT_TEST_RETRY_MAX (failed tests tried once more, alone, default 3; 0: none).
set -euo pipefail

repository_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repository_root"

say() { printf 'run.sh: %s\n' "$*"; }

# --- what the tests need besides .NET: a browser for the UI tests, Redis for the scale-out tests.
# The browser is Debian's chromium-headless-shell (the engine without the browser's UI: the browser tests take
# about half the time and a quarter of the CPU they take in the full chromium, which they fall back to).
missing=()
[[ -x /usr/bin/chromium-headless-shell ]] || missing+=(chromium-headless-shell)
command -v redis-server > /dev/null 2>&1 || missing+=(redis-server)

if (( ${#missing[@]} > 0 )); then
    installed=false
    if [[ "$(id -u)" == 0 ]] && command -v apt-get > /dev/null 2>&1; then
        say "installing ${missing[*]} with apt-get"
        apt_install() { DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq "${missing[@]}" < /dev/null; }
        # The package lists are refreshed only when the install fails without it; a machine without a package
        # source gives up within minutes (and falls back to the full chromium below, if it has one).
        if apt_install || { timeout 300 apt-get update -qq < /dev/null && apt_install; }; then installed=true; fi
    fi
    if ! $installed; then
        if [[ "${missing[*]}" == chromium-headless-shell && -x /usr/bin/chromium ]]; then
            say "no chromium-headless-shell: the browser tests use /usr/bin/chromium, which is slower (sudo apt-get install -y chromium-headless-shell)"
        else
            say "missing: ${missing[*]}. Install them, then run this again:"
            printf '    sudo apt-get install -y chromium-headless-shell redis-server\n'
            exit 1
        fi
    fi
fi

if ! command -v dotnet > /dev/null 2>&1; then
    say "dotnet is not on PATH: install the .NET 10 SDK, then run this again."
    exit 1
fi

# --- the STOMP interop tests drive real @stomp/stompjs clients with Node.js, installed from the lockfile
stomp_js="$repository_root/ChatApp.Tests/Stomp/js"
if ! command -v node > /dev/null 2>&1 || ! command -v npm > /dev/null 2>&1; then
    say "node and npm are not on PATH: install Node.js 20 or newer (sudo apt-get install -y nodejs npm), then run this again."
    exit 1
fi
if [[ ! -d "$stomp_js/node_modules/@stomp/stompjs" ]]; then
    say "installing the STOMP test clients (npm ci in ChatApp.Tests/Stomp/js)"
    (cd "$stomp_js" && npm ci --no-audit --no-fund)
fi

# --- run the tests
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# TRX reports of the latest run stay here (git ignores TestResults/) for a closer look at failures.
results="$repository_root/TestResults/run"
rm -rf "$results"
mkdir -p "$results"

extra=()
# CI keeps no MSBuild or compiler servers alive after the run.
[[ "${CI:-}" == "true" ]] && extra+=(--disable-build-servers)

say "dotnet test ChatApp.sln -c Release (in $repository_root)"
status=0
# A hung test is killed after CHAT_TEST_HANG_TIMEOUT (and reported as failed), the whole run after
# CHAT_TEST_TIMEOUT, so CI always gets an answer well inside its budget.
dotnet_test() { # dotnet_test TIMEOUT RESULTS_DIR [dotnet test arguments...]
    timeout --foreground --kill-after=30s "$1" \
        dotnet test ChatApp.sln -c Release \
            --logger "console;verbosity=normal" \
            --logger "trx" \
            --results-directory "$2" \
            --blame-hang-timeout "${CHAT_TEST_HANG_TIMEOUT:-5m}" --blame-hang-dump-type none \
            "${extra[@]}" "${@:3}"
}
dotnet_test "${CHAT_TEST_TIMEOUT:-30m}" "$results" "$@" || status=$?
(( status == 124 || status == 137 )) && say "the test run took longer than ${CHAT_TEST_TIMEOUT:-30m} and was stopped"

# --- count from the TRX reports (one per test project), which do not depend on the console's wording
counter() { # counter NAME FILE -> the value of the attribute NAME of <Counters> in FILE
    grep -o "<Counters [^>]*>" "$2" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]\+' || echo 0
}
count() { # count DIR -> sets passed, failed, skipped, total from the TRX reports in DIR
    passed=0 failed=0 skipped=0 total=0
    local report report_total executed
    for report in "$1"/*.trx; do
        report_total=$(counter total "$report")
        executed=$(counter executed "$report")
        passed=$(( passed + $(counter passed "$report") ))
        failed=$(( failed + $(counter failed "$report") + $(counter error "$report") \
                          + $(counter timeout "$report") + $(counter aborted "$report") ))
        skipped=$(( skipped + report_total - executed ))
        total=$(( total + report_total ))
    done
}
shopt -s nullglob
count "$results"

# The failed tests by name, with their messages, at the end where a CI log's tail shows them.
failures() { # failures FILE -> "FAILED name", then the first lines of its message and stack trace
    awk '
        function text(s) { gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s);
                           gsub(/&#xD;/, "", s); gsub(/&#xA;/, "", s); gsub(/&amp;/, "\\&", s); return s }
        /<UnitTestResult / {
            failed = ($0 ~ / outcome="(Failed|Error|Timeout|Aborted)"/); part = ""
            if (failed && match($0, / testName="[^"]*"/)) print "  FAILED " text(substr($0, RSTART + 11, RLENGTH - 12))
        }
        failed && /<Message>/    { part = "message"; lines = 0 }
        failed && /<StackTrace>/ { part = "stack"; lines = 0 }
        failed && part != "" {
            line = $0; sub(/.*<(Message|StackTrace)>/, "", line); sub(/<\/(Message|StackTrace)>.*/, "", line)
            if (++lines <= (part == "message" ? 20 : 6)) print "      " text(line)
            if ($0 ~ /<\/(Message|StackTrace)>/) part = ""
        }
        /<\/UnitTestResult>/ { failed = 0; part = "" }
    ' "$1"
}

# --- a few failures get one more try, alone: a test that passes then is reported by name as flaky, and the run
# passes. More failures than CHAT_TEST_RETRY_MAX (default 3; 0: no second try), a timeout or a second failure fail it.
retry_max="${CHAT_TEST_RETRY_MAX:-3}"
flaky=()
# The test methods that failed (a theory's cases all run again), as the filter names them: the display name without its arguments.
mapfile -t methods < <(for report in "$results"/*.trx; do
    grep -o '<UnitTestResult [^>]* outcome="\(Failed\|Error\|Timeout\|Aborted\)"[^>]*>' "$report" \
        | grep -o ' testName="[^"(]*' | sed 's/^ testName="//'
done | sort -u)
# A run that was cut short (a crashed or hung test host) has tests that never ran: no second try makes up for them.
cut_short=0
for report in "$results"/*.trx; do cut_short=$(( cut_short + $(counter aborted "$report") + $(counter timeout "$report") )); done
if (( failed > 0 && failed <= retry_max && ${#methods[@]} > 0 && cut_short == 0 && status != 124 && status != 137 )); then
    say "$failed test(s) failed; they are tried once more, alone:"
    for report in "$results"/*.trx; do failures "$report"; done
    filter=$(printf 'FullyQualifiedName=%s|' "${methods[@]}")
    retry_status=0
    dotnet_test 10m "$results/retry" --no-build --filter "${filter%|}" || retry_status=$?
    first_passed=$passed first_failed=$failed first_skipped=$skipped first_total=$total
    count "$results/retry"
    if (( retry_status == 0 && failed == 0 && passed > 0 )); then
        flaky=("${methods[@]}")
        status=0
        passed=$(( first_passed + first_failed )) failed=0 skipped=$first_skipped total=$first_total
    else
        say "the second try failed too:"
        for report in "$results/retry"/*.trx; do failures "$report"; done
        passed=$first_passed failed=$first_failed skipped=$first_skipped total=$first_total
        (( status != 0 )) || status=1
        say "FAILED: $failed test(s) failed"
        echo "$passed passed, $failed failed, $skipped skipped"
        exit "$status"
    fi
fi

if (( total == 0 || passed + failed == 0 )); then
    if (( status == 0 )); then
        say "FAILED: no test ran (nothing was discovered, or everything was skipped or filtered out)"
        status=1
    else
        say "FAILED: dotnet test exited with $status and recorded no test result (see the output above)"
    fi
elif (( failed > 0 )); then
    say "FAILED: $failed test(s) failed:"
    for report in "$results"/*.trx; do failures "$report"; done
    (( status != 0 )) || status=1
elif (( status != 0 )); then
    say "FAILED: dotnet test exited with $status"
fi
if (( ${#flaky[@]} > 0 )); then
    say "FLAKY: failed on the first try and passed alone on the second (their first failure is printed above):"
    printf '  FLAKY %s\n' "${flaky[@]}"
fi

echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
