"""Identity-resolution quality against the generator's ground truth.

Every identifier in ``customer_identity_map`` whose true person is known (CRM
contacts, loyalty ids, anonymous ids, emails other than shared placeholders) is one
record. A pair of records is predicted merged when both have the same customer_id
and truly merged when both belong to the same person; precision, recall and F1 are
over those pairs, computed from cluster-by-person counts (no pair enumeration).
Anonymous ids that never logged in cannot be resolved and are not in the map.
"""

from __future__ import annotations

from pathlib import Path

import duckdb


def truth_sql(truth_dir: Path) -> str:
    t = str(truth_dir)
    return f"""
        select 'contact_id' as identifier_type, contact_id as identifier_value, person_id
        from read_csv('{t}/contacts.csv', all_varchar = true)
        union all
        select 'loyalty_id', upper(trim(loyalty_id)), person_id from read_csv('{t}/loyalty_ids.csv', all_varchar = true)
        union all
        select 'anonymous_id', anonymous_id, person_id
        from read_csv('{t}/anonymous_ids.csv', all_varchar = true) where person_id is not null
        union all
        select 'email',
            case when split_part(email, '@', 2) in ('gmail.com', 'googlemail.com')
                then replace(split_part(split_part(email, '@', 1), '+', 1), '.', '') || '@gmail.com'
                else email end,
            person_id
        from read_csv('{t}/persons.csv', all_varchar = true)
    """


def evaluate(
    con: duckdb.DuckDBPyConnection, truth_dir: Path, map_table: str = "customer_identity_map"
) -> dict:
    con.execute(f"create or replace temp view truth as {truth_sql(truth_dir)}")
    con.execute(f"""
        create or replace temp view scored as
        select m.identifier_type, m.customer_id, t.person_id
        from {map_table} as m
        inner join truth as t using (identifier_type, identifier_value)
        where not m.is_shared_identifier
    """)

    def pairs(where: str = "true") -> dict:
        row = con.execute(f"""
            with s as (select * from scored where {where}),
            cells as (select count(*) as n from s group by customer_id, person_id),
            predicted as (select count(*) as n from s group by customer_id),
            actual as (select count(*) as n from s group by person_id)
            select
                (select count(*) from s),
                (select sum(n * (n - 1) / 2) from cells),
                (select sum(n * (n - 1) / 2) from predicted),
                (select sum(n * (n - 1) / 2) from actual),
                (select count(*) from (select person_id from s group by 1 having count(distinct customer_id) > 1)),
                (select count(*) from (select customer_id from s group by 1 having count(distinct person_id) > 1)),
                (select count(distinct person_id) from s),
                (select count(distinct customer_id) from s)
        """).fetchone()
        records, tp, pred, actual, split, merged, persons, customers = (v or 0 for v in row)
        precision = tp / pred if pred else 1.0
        recall = tp / actual if actual else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "records": int(records),
            "true_persons": int(persons),
            "customers": int(customers),
            "true_pairs": int(actual),
            "predicted_pairs": int(pred),
            "correct_pairs": int(tp),
            "precision": round(precision, 5),
            "recall": round(recall, 5),
            "f1": round(f1, 5),
            "persons_split": int(split),
            "customers_wrongly_merged": int(merged),
        }

    # all identifiers; and CRM contacts alone (the record-deduplication view)
    return {"all_identifiers": pairs(), "crm_contacts_only": pairs("identifier_type = 'contact_id'")}
