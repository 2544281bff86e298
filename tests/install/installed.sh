#!/usr/bin/env bash
# Spindle as installed: `cmake --install` into a temporary DESTDIR (outside the build
# and source folders), then one check per MODE on what landed there. CTest runs each
# mode as its own test (tests/CMakeLists.txt); "stage" is their fixture, "cleanup"
# removes the stage. The programs run from the stage with the cwd and PATH elsewhere,
# so nothing of the source tree can be on their path.
# Usage: installed.sh MODE STAGE BUILD_DIR APP_ID VERSION
set -euo pipefail
mode=$1 stage=$2 build=$3 app_id=$4 version=$5
usr=$stage/usr
bin=$usr/bin
share=$usr/share
fail() { echo "FAIL: $*" >&2; exit 1; }
# A scratch folder far from the sources, removed on exit, to run in.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
export PATH="$bin:/usr/bin:/bin" QT_QPA_PLATFORM=offscreen

case $mode in
stage)
    rm -rf "$stage"
    DESTDIR="$stage" cmake --install "$build" --prefix /usr >/dev/null
    ;;
files)
    for f in bin/spindle bin/spindle-run \
             share/applications/$app_id.desktop \
             share/icons/hicolor/scalable/apps/$app_id.svg \
             share/metainfo/$app_id.metainfo.xml \
             share/mime/packages/$app_id.xml \
             share/spindle/scenarios/worker_pool.lua \
             share/man/man1/spindle.1.gz share/man/man1/spindle-run.1.gz \
             share/bash-completion/completions/spindle-run \
             share/doc/spindle/copyright share/doc/spindle/changelog.gz; do
        [ -s "$usr/$f" ] || fail "missing $f"
    done
    for size in 16 22 24 32 48 64 128 256; do
        png=$share/icons/hicolor/${size}x${size}/apps/$app_id.png
        file -b "$png" | grep -q "PNG image data, $size x $size" || fail "icon $png: $(file -b "$png")"
    done
    # Every shipped scenario, and nothing else, in share/spindle/scenarios.
    installed=$(cd "$share/spindle/scenarios" && ls)
    shipped=$(cd "$(dirname "$0")/../../scenarios" && ls -- *.lua)
    [ "$installed" = "$shipped" ] || fail "scenarios differ: $installed"
    ;;
desktop)
    desktop-file-validate "$share/applications/$app_id.desktop"
    grep -qx "Icon=$app_id" "$share/applications/$app_id.desktop" || fail "Icon is not the app id"
    grep -q "^MimeType=.*application/x-spindle-trace;" "$share/applications/$app_id.desktop" \
        || fail "the .desktop file does not open traces"
    ;;
appstream)
    appstreamcli validate --no-net "$share/metainfo/$app_id.metainfo.xml"
    grep -q "<release version=\"$version\"" "$share/metainfo/$app_id.metainfo.xml" \
        || fail "no release entry for $version"
    ;;
mime)
    xml=$share/mime/packages/$app_id.xml
    xmllint --noout "$xml"
    # The MIME database compiled from it (and the system's) knows .spt by name and by magic.
    mkdir -p share/mime/packages
    cp /usr/share/mime/packages/freedesktop.org.xml "$xml" share/mime/packages/
    update-mime-database "$PWD/share/mime" 2>/dev/null  # (it notes the folder is not searched)
    grep -q '^50:application/x-spindle-trace:\*\.spt$' share/mime/globs2 || fail "no *.spt glob"
    grep -aq 'application/x-spindle-trace' share/mime/magic || fail "no magic for traces"
    # A real trace by its name and, renamed, by its first bytes; a scenario is Lua
    # (gio reads the database compiled above).
    spindle-run --quiet --trace run.spt "$share/spindle/scenarios/worker_pool.lua"
    cp run.spt run.bin
    content_type() {
        XDG_DATA_HOME="$PWD/share" XDG_DATA_DIRS="$PWD/share" gio info -a standard::content-type "$1" |
            sed -n 's/.*standard::content-type: //p'
    }
    for f in run.spt run.bin; do
        [ "$(content_type $f)" = application/x-spindle-trace ] || fail "$f is '$(content_type $f)'"
    done
    lua=$share/spindle/scenarios/deadlock.lua
    [ "$(content_type "$lua")" = text/x-lua ] || fail "a scenario is '$(content_type "$lua")'"
    ;;
man)
    for page in spindle spindle-run; do
        file=$share/man/man1/$page.1.gz
        out=$(MANWIDTH=80 man --warnings -l "$file" 2>warnings) || fail "man -l $page failed"
        [ ! -s warnings ] || fail "man warns on $page: $(cat warnings)"
        # The page says what --help says: every flag of the program is in it.
        for flag in $("$page" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
            grep -qF -- "$flag" <<<"$out" || fail "$page.1 lacks $flag"
        done
        grep -q "$version" <<<"$out" || fail "$page.1 does not name version $version"
    done
    ;;
completion)
    complete_words() {  # prints what completing the words "$@" (the last is the cursor) offers
        bash -c 'source "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _spindle_run
                 printf "%s\n" "${COMPREPLY[@]}"' \
            "$share/bash-completion/completions/spindle-run" spindle-run "$@"
    }
    offered=$(complete_words --)
    for flag in $(spindle-run --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
        grep -qx -- "$flag" <<<"$offered" || fail "completion lacks $flag"
    done
    [ "$(complete_words --ex | sort | tr '\n' ' ')" = "--explain --explore --explore-json " ] \
        || fail "--ex completes to: $(complete_words --ex)"
    [ "$(complete_words --policy "" | sort | tr '\n' ' ')" = \
      "current-thread global-queue work-stealing " ] || fail "--policy values"
    # The file: a scenario or a trace, nothing else.
    files="$scratch/files"
    mkdir -p "$files"
    touch "$files/a.lua" "$files/b.spt" "$files/c.txt"
    [ "$(complete_words "$files/" | sort | tr '\n' ' ')" = "$files/a.lua $files/b.spt " ] \
        || fail "files complete to: $(complete_words "$files/")"
    rm -rf "$files"
    ;;
run)
    [ "$(spindle-run --version)" = "spindle-run $version" ] || fail "spindle-run --version"
    [ "$(spindle --version)" = "spindle $version" ] || fail "spindle --version"
    out=$(spindle-run "$share/spindle/scenarios/worker_pool.lua")
    grep -q "completed" <<<"$out" || fail "worker_pool did not complete: $out"
    ;;
export)
    # No FILE: the installed default scenario, found next to the installed program.
    spindle --export default.png >/dev/null
    file -b default.png | grep -q "^PNG image data" || fail "default.png: $(file -b default.png)"
    spindle --export deadlock.png "$share/spindle/scenarios/deadlock.lua" >/dev/null || [ $? = 3 ]
    file -b deadlock.png | grep -q "^PNG image data" || fail "deadlock.png: $(file -b deadlock.png)"
    ;;
cleanup)
    rm -rf "$stage"
    ;;
*)
    fail "unknown mode $mode"
    ;;
esac
