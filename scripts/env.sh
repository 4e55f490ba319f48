# Sourced by the other scripts: settings every dbt call shares.
export DBT_PROFILES_DIR="${DBT_PROFILES_DIR:-$PWD}"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
export PATH="$PWD/.venv/bin:$PATH"
# Raw files are read through views, so give DuckDB an absolute path to them.
raw_dir="${C360_RAW_DIR:-data/sample}"
case "$raw_dir" in /*) ;; *) raw_dir="$PWD/$raw_dir" ;; esac
export C360_RAW_DIR="$raw_dir"
# Audience exports are written under C360_EXPORT_DIR; DuckDB creates the per-export
# folders but not their parent.
export C360_EXPORT_DIR="${C360_EXPORT_DIR:-$PWD/exports}"
mkdir -p "$C360_EXPORT_DIR"
