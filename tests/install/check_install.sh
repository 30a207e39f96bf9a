#!/bin/sh
# check_install.sh BUILD_DIR WORK_DIR SRC_DIR
# Install the built project into WORK_DIR/prefix, then build and run the
# consumer through find_package(scarscore) (shared and static) and through
# pkg-config (shared and --static). Fails loudly at the first problem.
set -eu
build=$1; work=$2; src=$3
rm -rf "$work"; mkdir -p "$work"
prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
jpeg=${SAMPLE_JPEG:?}

cmake -S "$src" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/cmake" >/dev/null
LD_LIBRARY_PATH="$prefix/lib:$prefix/lib/x86_64-linux-gnu" "$work/cmake/consumer" "$jpeg"
"$work/cmake/consumer_static" "$jpeg"

pcdir=$(dirname "$(find "$prefix" -name scarscore.pc | head -n 1)")
export PKG_CONFIG_PATH="$pcdir"
${CC:-cc} -o "$work/pc_consumer" "$src/consumer.c" $(pkg-config --cflags --libs scarscore)
LD_LIBRARY_PATH="$(pkg-config --variable=libdir scarscore)" "$work/pc_consumer" "$jpeg"
${CC:-cc} -DSCARSCORE_STATIC -o "$work/pc_consumer_static" "$src/consumer.c" \
    $(pkg-config --cflags scarscore) "$(pkg-config --variable=libdir scarscore)/libscarscore.a" \
    $(pkg-config --libs --static scarscore | sed 's/-lscarscore//')
"$work/pc_consumer_static" "$jpeg"

# The shipped C sample builds against the installed package both ways too.
sample="$src/../../samples/example_analyze.c"
${CC:-cc} -o "$work/pc_example" "$sample" $(pkg-config --cflags --libs scarscore)
LD_LIBRARY_PATH="$(pkg-config --variable=libdir scarscore)" "$work/pc_example" "$jpeg" >/dev/null
LD_LIBRARY_PATH="$prefix/lib:$prefix/lib/x86_64-linux-gnu" "$work/cmake/example_analyze" "$jpeg" >/dev/null
echo "install_consumer: consumer and samples/example_analyze built through find_package and pkg-config, and ran"
