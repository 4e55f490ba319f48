"""An incremental run after a new day of raw files equals a full refresh.

The test data's web events, orders, order lines, email events, consent records, CRM
contacts, till transactions and erasure requests are split in two. The first
build sees the old files with some rows held back, at the as-of date the day
before the last: the held-back rows are most of the last day, a random 3% of
older rows (late arrivals, among them logins that later identify anonymous
devices), and the later rows of every repeated key (re-sent copies and newer
versions, so the de-duplication must look across files). The last day's rows
kept in the first load lie after that as-of date, so they are quarantined as
`future_timestamp` at first and must be re-checked once the date moves on.
Every erasure request from September 2026 is held back, so the second run must
remove customers the first run kept from the incremental tables.
The first build also reads a user exchange-rate file (fx_rates.csv) with other
euro rates for 2026 and no dollar rates after May 2026, which the second run no
longer has (the bundled rates apply again), so sales must be converted again.
The held-back rows then arrive as new files (`<table>.<day>.csv`) and the
project is built again, incrementally, at the default as-of date. Its tables must
equal those of the test warehouse, which scripts/test.sh built from the same full
data in one go."""

from __future__ import annotations

import csv
import os
import random
import shutil
from pathlib import Path

import duckdb
import phonenumbers
import pytest
from dbt_runner import PROJECT_DIR, build_models, dbt

LAST_DAY = "2026-09-30"
DAY_BEFORE = "2026-09-29"
# table -> run-stamp column left out of the comparison (None: compare every column)
COMPARED = {
    "base_run__as_of_date": None,
    "base_web__events": "loaded_at",
    "base_shop__orders": "loaded_at",
    "base_shop__order_items": "loaded_at",
    "base_email__events": "loaded_at",
    "base_privacy__consent_records": "loaded_at",
    "base_crm__phone_numbers_parsed": None,
    "fct_email_engagement": None,
    "int_web_events_sessionised": "sessionised_at",
    "int_web_sessions_aggregated": "sessionised_at",
    "fct_sessions": "sessionised_at",
    "int_sales_converted": "converted_at",
    "int_customers_erased": None,
    "fct_orders": None,
    "customer_features": None,
    "int_customer_features_at_cutoffs": "computed_at",
    "quarantine_rows": None,
    "raw_row_reconciliation": None,
}
# raw table -> (key columns, time column or None)
SPLIT = {
    "web_events": (["event_id"], "event_at"),
    "orders": (["order_id"], "order_at"),
    "order_items": (["order_id", "line_number"], None),
    "email_events": (["event_id"], "event_at"),
    # a consent record has no id: its key is the decision's email, purpose and time
    "consent_records": (["subject_email", "purpose", "recorded_at"], "recorded_at"),
    # contacts that arrive later join, merge and re-anchor customers: the identifiers
    # of events nobody re-sent resolve to another customer on the second run
    "crm_contacts": (["contact_id"], "updated_at"),
    # till sales convert on every run; the held-back ones must join the others
    "pos_transactions": (["transaction_id"], "transaction_at"),
    # erasure requests: every request from HOLD_FROM on arrives with the second run, so
    # customers the first run kept must leave every incremental table then
    "erasure_requests": (["subject_email", "requested_at"], "requested_at"),
}
# raw table -> the time from which every row is held back (on top of the rules above)
HOLD_FROM = {"erasure_requests": "2026-09-01"}


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="") as fh:
        reader = csv.reader(fh)
        return next(reader), list(reader)


def _read_lines(path: Path) -> tuple[list[str], str, list[tuple[list[str], str]]]:
    """The header, its text, and every row with the text it was parsed from, so a
    malformed line (an unclosed quote, say) is written back exactly as it came."""
    with open(path, newline="") as fh:
        lines = fh.readlines()
    consumed: list[str] = []

    def feed():
        for line in lines:
            consumed.append(line)
            yield line

    parsed = []
    for row in csv.reader(feed()):
        parsed.append((row, "".join(consumed)))
        consumed.clear()
    (header, header_text), rows = parsed[0], parsed[1:]
    return header, header_text, rows


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def _write_lines(path: Path, header_text: str, texts: list[str]) -> None:
    """Write rows as the texts _read_lines returned, exactly."""
    path.write_text(header_text + "".join(texts), newline="")


def _split(full_raw: Path, raw: Path) -> dict[str, tuple[str, list[str]]]:
    """Write the first load into `raw`; return the held-back (header text, row texts)
    per table: rows are written back as the text they were read from."""
    rng = random.Random(7)
    held_orders: set[str] = set()
    held = {}
    for table, (keys, time_column) in SPLIT.items():
        header, header_text, rows = _read_lines(full_raw / f"{table}.csv")
        key_at = [header.index(k) for k in keys]
        time_at = header.index(time_column) if time_column else None
        seen: set[tuple] = set()
        first, later = [], []
        for row, text in rows:
            key = tuple(row[i] if i < len(row) else "" for i in key_at)
            # a malformed line may lack the time column: it counts as an old row
            when = row[time_at] if time_at is not None and time_at < len(row) else ""
            last_day = when.startswith(LAST_DAY)
            hold = (
                (table in HOLD_FROM and when >= HOLD_FROM[table])
                or (last_day and rng.random() < 0.8)
                or rng.random() < 0.03
                or (key in seen and all(key))
                or (table == "order_items" and row[key_at[0]] in held_orders)
            )
            seen.add(key)
            if hold and table == "orders":
                held_orders.add(row[key_at[0]])
            (later if hold else first).append(text)
        _write_lines(raw / f"{table}.csv", header_text, first)
        held[table] = (header_text, later)
    return held


def _write_first_rates(raw: Path) -> None:
    """The first build's user rate file: the bundled rates, but the euro's 2026 rates
    a tenth higher and no dollar rate after May 2026 (those sales fall back to May's)."""
    header, rows = _read(PROJECT_DIR / "seeds" / "fx_rates.csv")
    first = []
    for currency, month, rate in rows:
        if currency == "USD" and month > "2026-05-01":
            continue
        if currency == "EUR" and month >= "2026-01-01":
            rate = f"{float(rate) * 1.1:.4f}"
        first.append([currency, month, rate])
    _write(raw / "fx_rates.csv", ["currency_code", "rate_month", "units_per_base"], first)


@pytest.fixture(scope="module")
def incremental_build(warehouse, tmp_path_factory):
    work = tmp_path_factory.mktemp("incremental")
    full_raw = Path(os.environ["C360_TEST_RAW_DIR"])
    raw = work / "raw"
    shutil.copytree(full_raw, raw)
    held = _split(full_raw, raw)
    _write_first_rates(raw)
    db = work / "incremental.duckdb"
    build_models("*", raw, db, work / "target", ["--vars", f"{{as_of_date: '{DAY_BEFORE}'}}"])
    con = duckdb.connect(str(db), read_only=True)
    con.execute(f"attach '{PROJECT_DIR / os.environ['C360_TEST_DB']}' as full_db (read_only)")
    # sales the first build converted at another rate than the full build did
    other_rate = con.execute(
        """select count(*) from int_sales_converted as first_run
           inner join full_db.int_sales_converted as full_run using (sale_id)
           where first_run.fx_rate_to_reporting is distinct from full_run.fx_rate_to_reporting"""
    ).fetchone()[0]
    con.execute("detach full_db")
    first = {
        "events": con.execute("select count(*) from int_web_events_sessionised").fetchone()[0],
        "future": con.execute(
            "select count(*) from base_web__events"
            " where quarantine_reasons like '%future_timestamp%' and cast(event_at as date) = ?",
            [LAST_DAY],
        ).fetchone()[0],
        "other_rate": other_rate,
        "erased": con.execute("select count(*) from int_customers_erased").fetchone()[0],
    }
    con.close()
    # the phone parses the first run stored: a pair no raw row carries any more (its
    # contact left the raw files) and parses made by another version of the rules,
    # both of which the second run must drop or redo
    con = duckdb.connect(str(db))
    con.execute(
        """insert into base_crm__phone_numbers_parsed
           values ('020 7946 0999 (gone)', 'GB', '+442079460999', ?)""",
        [phonenumbers.__version__],
    )
    first["stale_phones"] = con.execute(
        """update base_crm__phone_numbers_parsed set parsed_with = 'an older version', phone_e164 = 'stale'
           where phone_raw in (select phone_raw from base_crm__phone_numbers_parsed
                               order by phone_raw limit 25)"""
    ).fetchone()[0]
    con.close()
    for table, (header_text, texts) in held.items():
        _write_lines(raw / f"{table}.{LAST_DAY}.csv", header_text, texts)
    (raw / "fx_rates.csv").unlink()
    build_models("*", raw, db, work / "target")
    held_back = {table: len(rows) for table, (_, rows) in held.items()}
    return db, held_back, first, work / "target"


def _columns(con, catalog: str, table: str, skip: set[str]) -> str:
    """The table's columns for comparison; doubles rounded to 9 decimals, as a sum
    of doubles depends on the order its rows are added in (the last digits of
    spend shares differ with the order the rows arrive in)."""
    columns = con.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_catalog = ? and table_name = ? order by ordinal_position",
        [catalog, table],
    ).fetchall()
    return ", ".join(
        f'round("{name}", 9) as "{name}"' if kind == "DOUBLE" else f'"{name}"'
        for name, kind in columns
        if name not in skip
    )


@pytest.mark.parametrize("table", sorted(COMPARED))
def test_incremental_equals_full_refresh(incremental_build, table):
    db = incremental_build[0]
    con = duckdb.connect()
    con.execute(f"attach '{db}' as inc (read_only)")
    con.execute(f"attach '{PROJECT_DIR / os.environ['C360_TEST_DB']}' as full_db (read_only)")
    skip = {COMPARED[table]}
    if table.startswith("base_"):
        # the file a row came from differs by design: the full build read one file
        skip.add("raw_file")
    columns = _columns(con, "inc", table, skip)
    assert columns == _columns(con, "full_db", table, skip)
    if table == "quarantine_rows":
        # a malformed line's raw values say where it stands, which differs by design
        # (the full build read it from one file): compare its text only
        columns = columns.replace(
            '"raw_values"',
            "case when primary_reason = 'malformed_line' then json_extract_string(raw_values, '$.raw_line')"
            ' else raw_values end as "raw_values"',
        )
    counts = con.execute(
        f"""select
                (select count(*) from (select {columns} from inc.{table}
                                       except all select {columns} from full_db.{table})),
                (select count(*) from (select {columns} from full_db.{table}
                                       except all select {columns} from inc.{table})),
                (select count(*) from inc.{table})"""
    ).fetchone()
    assert counts[:2] == (0, 0) and counts[2] > 0, counts


def test_the_split_exercises_every_path(incremental_build):
    """Rows were held back in every table, the first load had last-day rows
    quarantined as future_timestamp (re-checked by the second run), stored phone
    parses were marked as another version's, the first build converted sales at
    rates the second run no longer has, and the held-back erasure requests name
    customers the first build kept."""
    db, held_back, first, _ = incremental_build
    assert all(n > 0 for n in held_back.values()), held_back
    assert first["future"] > 0
    assert first["other_rate"] > 0
    assert first["stale_phones"] == 25
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from int_customers_erased").fetchone()[0] > first["erased"] > 0


def test_the_second_run_read_only_the_new_files(incremental_build):
    """The second run of the base models and of the as-of date's per-file figures
    excluded the loaded files by name, and the new rows carry the new file's name."""
    db, held_back, _, target = incremental_build
    for model, table in [
        ("web/base_web__events", "web_events"),
        ("shop/base_shop__orders", "orders"),
        ("shop/base_shop__order_items", "order_items"),
        ("email/base_email__events", "email_events"),
        ("privacy/base_privacy__consent_records", "consent_records"),
    ]:
        run_sql = (target / "compiled" / "c360" / "models" / "staging" / f"{model}.sql").read_text()
        assert f"not in ('{table}.csv')" in run_sql, run_sql[:2000]
    # the as-of date's per-file figures: every loaded file of its five sources skipped
    # (no timestamp in them has come due since the first run)
    run_sql = (
        target / "compiled" / "c360" / "models" / "staging" / "run" / "base_run__raw_activity.sql"
    ).read_text()
    loaded = (
        "not in ('crm_contacts.csv', 'email_events.csv', 'orders.csv', 'pos_transactions.csv',"
        " 'pos_transactions.windows.csv', 'web_events.csv')"
    )
    assert run_sql.count(loaded) == 5, run_sql[:2000]
    con = duckdb.connect(str(db), read_only=True)
    new_rows = con.execute(
        "select count(*) from base_web__events where raw_file = ?", [f"web_events.{LAST_DAY}.csv"]
    ).fetchone()[0]
    assert new_rows == held_back["web_events"]


def test_the_second_run_resessionised_only_changed_visitors(incremental_build):
    """The new events changed some visitors, and only those were re-sessionised."""
    db, _, first, _ = incremental_build
    con = duckdb.connect(str(db), read_only=True)
    total, events, rebuilt_visitors, rebuilt_events = con.execute(
        """select
               (select count(distinct visitor_key) from int_web_events_sessionised),
               (select count(*) from int_web_events_sessionised),
               count(distinct visitor_key), count(*)
           from int_web_events_sessionised
           where sessionised_at = (select max(sessionised_at) from int_web_events_sessionised)"""
    ).fetchone()
    assert events > first["events"]
    assert 0 < rebuilt_visitors < total
    assert rebuilt_events < events


def test_the_second_run_reconverted_only_changed_sales(incremental_build):
    """The second run converted some shop orders again (new, re-checked, re-keyed or
    at another rate), not all of them; every till sale is converted on every run."""
    db = incremental_build[0]
    con = duckdb.connect(str(db), read_only=True)
    shop, shop_rewritten, pos, pos_rewritten = con.execute(
        """select
               count(*) filter (where sale_source = 'shop'),
               count(*) filter (where sale_source = 'shop' and converted_at = last_run.stamp),
               count(*) filter (where sale_source = 'pos'),
               count(*) filter (where sale_source = 'pos' and converted_at = last_run.stamp)
           from int_sales_converted
           cross join (select max(converted_at) as stamp from int_sales_converted) as last_run"""
    ).fetchone()
    assert 0 < shop_rewritten < shop
    assert pos_rewritten == pos > 0


def test_identifiers_tracked_equal_the_full_refresh_resolution(incremental_build):
    """int_identifiers_tracked after the second run: the identifiers that resolve
    now are the full refresh's, each with the same customer; those that stopped
    resolving keep no customer and are absent from the full resolution; and the
    second run restamped only the identifiers whose customer changed."""
    db = incremental_build[0]
    con = duckdb.connect()
    con.execute(f"attach '{db}' as inc (read_only)")
    con.execute(f"attach '{PROJECT_DIR / os.environ['C360_TEST_DB']}' as full_db (read_only)")
    live = "select identifier_key, customer_id from {} where customer_id is not null"
    counts = con.execute(
        f"""select
                (select count(*) from ({live.format("inc.int_identifiers_tracked")}
                                       except all {live.format("full_db.int_identifiers_tracked")})),
                (select count(*) from ({live.format("full_db.int_identifiers_tracked")}
                                       except all {live.format("inc.int_identifiers_tracked")}))"""
    ).fetchone()
    assert counts == (0, 0), counts
    (gone_but_resolved,) = con.execute(
        """select count(*) from inc.int_identifiers_tracked as tracked
           join full_db.int_identifiers_resolved as resolved using (identifier_key)
           where tracked.customer_id is null"""
    ).fetchone()
    assert gone_but_resolved == 0
    restamped, total = con.execute(
        """select count(*) filter (where changed_at = (select max(changed_at)
                                                       from inc.int_identifiers_tracked)),
                  count(*)
           from inc.int_identifiers_tracked"""
    ).fetchone()
    assert 0 < restamped < total, (restamped, total)


def _compiled_test(target: Path, prefix: str) -> str:
    (path,) = (target / "compiled" / "c360").rglob(f"{prefix}*.sql")
    return path.read_text()


def test_build_tests_read_the_rows_the_run_wrote(incremental_build, tmp_path):
    """In `dbt build`, the row-by-row tests of an incremental model read only the rows
    this run wrote (macros/quality/get_where_subquery.sql): a bad row an earlier run
    left is not read again, while `dbt test` and test_all_rows read the whole table;
    the unique test checks the written rows' keys against every row."""
    db_source, _, _, first_target = incremental_build
    db = tmp_path / "tested.duckdb"
    shutil.copy(db_source, db)
    raw = first_target.parent / "raw"
    con = duckdb.connect(str(db))
    # a row loaded by an earlier run, no longer re-checked, loses its id
    (old_id,) = con.execute(
        """select raw_row_id from base_web__events
           where not is_quarantined and loaded_at < (select max(loaded_at) from base_web__events)
           order by raw_row_id limit 1"""
    ).fetchone()
    con.execute("update base_web__events set raw_row_id = null where raw_row_id = ?", [old_id])
    con.close()
    selection = ["--select", "+stg_web__events", "--exclude-resource-type", "unit_test"]

    built = dbt(["build", *selection], raw, db, tmp_path / "build")
    assert built.returncode == 0, (built.stdout + built.stderr)[-3000:]
    not_null = _compiled_test(tmp_path / "build", "not_null_base_web__events_raw_row_id")
    unique = _compiled_test(tmp_path / "build", "unique_base_web__events_raw_row_id")
    assert "loaded_at = cast(" in not_null, not_null
    assert "raw_row_id in (select raw_row_id from" in unique, unique
    # the staging view over it is filtered by the same stamp; a model without one is not
    assert "loaded_at = cast(" in _compiled_test(tmp_path / "build", "unique_stg_web__events_event_id")
    unstamped = _compiled_test(tmp_path / "build", "unique_base_run__as_of_date_as_of_date")
    assert "written_this_run" not in unstamped, unstamped

    for args, target in [
        (["build", *selection, "--vars", "{test_all_rows: true}"], "all_rows"),
        (["test", "--select", "base_web__events"], "test"),
    ]:
        result = dbt(args, raw, db, tmp_path / target)
        output = result.stdout + result.stderr
        assert result.returncode != 0, output[-3000:]
        assert "Failure in test not_null_base_web__events_raw_row_id" in output, output[-3000:]
        assert "loaded_at" not in _compiled_test(tmp_path / target, "not_null_base_web__events_raw_row_id")

    # a written row whose key an older row already holds is a duplicate the unique
    # test finds: its query checks the written keys against the whole table
    stamp = unique.split("loaded_at = ")[1].split(")")[0] + ")"
    con = duckdb.connect(str(db))
    con.execute(
        f"""insert into base_web__events
            select * replace ({stamp} as loaded_at) from base_web__events
            where raw_row_id = (select min(raw_row_id) from base_web__events
                                where loaded_at < {stamp})"""
    )
    assert len(con.execute(unique).fetchall()) == 1
    con.close()


def test_features_recompute_only_the_cutoffs_whose_inputs_changed(incremental_build, tmp_path):
    """int_customer_features_at_cutoffs, run again after one revenue sale between the
    two latest training cutoffs is removed: it recomputes the latest training cutoff
    and the scoring cutoff (the sale counted there), keeps the earlier cutoffs' rows
    as they were, and the result equals a full refresh of the model."""
    db_source, _, _, first_target = incremental_build
    db = tmp_path / "features.duckdb"
    shutil.copy(db_source, db)
    raw = first_target.parent / "raw"
    con = duckdb.connect(str(db))
    training = [
        day
        for (day,) in con.execute(
            "select cutoff_date from int_prediction_cutoffs where not is_scoring_cutoff order by cutoff_date"
        ).fetchall()
    ]
    sale_id, customer_id = con.execute(
        """select sale_id, customer_id from int_sales_filtered
           where is_revenue and net_revenue_reporting > 0 and sale_date >= ? and sale_date < ?
           order by sale_id limit 1""",
        [training[-2], training[-1]],
    ).fetchone()
    revenue_before = con.execute(
        "select revenue_total from int_customer_features_at_cutoffs where customer_id = ? and cutoff_date = ?",
        [customer_id, training[-1]],
    ).fetchone()[0]
    stamps_before = dict(
        con.execute(
            "select cutoff_date, max(computed_at) from int_customer_features_at_cutoffs group by 1"
        ).fetchall()
    )
    con.execute("delete from int_sales_converted where sale_id = ?", [sale_id])
    con.close()

    selection = ["--select", "int_customer_features_at_cutoffs"]
    result = dbt(["run", *selection], raw, db, tmp_path / "run")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    con = duckdb.connect(str(db))
    stamps_after = dict(
        con.execute(
            "select cutoff_date, max(computed_at) from int_customer_features_at_cutoffs group by 1"
        ).fetchall()
    )
    assert stamps_after.keys() == stamps_before.keys()
    recomputed = sorted(day for day in stamps_after if stamps_after[day] != stamps_before[day])
    assert recomputed == [training[-1], max(stamps_after)], (recomputed, training)
    revenue_after = con.execute(
        "select revenue_total from int_customer_features_at_cutoffs where customer_id = ? and cutoff_date = ?",
        [customer_id, training[-1]],
    ).fetchone()[0]
    assert revenue_after < revenue_before
    con.execute("create table features_kept as select * from int_customer_features_at_cutoffs")
    con.close()

    result = dbt(["run", *selection, "--full-refresh"], raw, db, tmp_path / "refresh")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    con = duckdb.connect(str(db))
    columns = _columns(con, "features", "features_kept", {"computed_at"})
    counts = con.execute(
        f"""select
                (select count(*) from (select {columns} from features_kept
                                       except all select {columns} from int_customer_features_at_cutoffs)),
                (select count(*) from (select {columns} from int_customer_features_at_cutoffs
                                       except all select {columns} from features_kept)),
                (select count(*) from features_kept)"""
    ).fetchone()
    assert counts[:2] == (0, 0) and counts[2] > 0, counts
