# Sourced by bin/abscan and bin/abscand: runs a main class of the built abscan-cli module.
# The classpath is the module's jar plus target/classpath.txt, which `mvn package` writes (the dependency
# jars stay in the local Maven repository).

# abscan_exec MAIN_CLASS ARGS...
abscan_exec() {
  local main=$1; shift
  local root target jar java
  root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
  target=$root/clients/java-cli/target
  jar=
  for candidate in "$target"/abscan-cli-*.jar; do
    case $candidate in *-sources.jar|*-tests.jar|*-javadoc.jar) continue ;; esac
    [[ -f $candidate ]] && jar=$candidate && break
  done
  if [[ -z $jar || ! -s $target/classpath.txt ]]; then
    echo "abscan is not built: run  mvn -B -q package -DskipTests  in $root" >&2
    exit 4
  fi
  # TensorFlow's native INFO lines (oneDNN, CPU features) would drown the progress output.
  export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-1}
  java=${JAVA_HOME:+$JAVA_HOME/bin/}java
  local -a opts=()
  read -r -a opts <<<"${ABSCAN_JAVA_OPTS:-}"
  exec "$java" -Xss4m -XX:+UseParallelGC "${opts[@]}" -cp "$jar:$(<"$target/classpath.txt")" "$main" "$@"
}
