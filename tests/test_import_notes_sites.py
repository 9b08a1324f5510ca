"""A city typed differently is one city, with a warning naming the merges (QA 38)."""
from __future__ import annotations

from synth.importers import import_path

MESSY = ("note_id,city,note,dots\nS-1,Lambeth,Pay us for our time,3\n"
         "S-2,lambeth ,Meet after school,2\nS-3,LAMBETH,Independent chair,1\n"
         "S-4,Croydon.,Stop strip searches of children,4\nS-5,Croydon,Explain our rights,2\n"
         "S-6,Croydon,Youth workers at stops,1\n")


def test_cities_written_differently_become_the_most_used_spelling(project, tmp_path):
    f = tmp_path / "sites_messy.csv"
    f.write_text(MESSY, encoding="utf-8")
    (report,) = import_path(project, f)
    assert report.counts == {"notes": 6, "sites": 2}
    assert [tuple(r) for r in project.query(
        "SELECT site, count(*) FROM notes GROUP BY 1 ORDER BY 1")] == [("Croydon", 3),
                                                                      ("Lambeth", 3)]
    assert ("sites_messy.csv: cities written differently taken as one: “lambeth” (1 note), "
            "“LAMBETH” (1 note) as “Lambeth”; “Croydon.” (1 note) as “Croydon”"
            ) in report.warnings


def test_a_later_file_takes_the_projects_spelling(project, tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("city,note\nLambeth,One\nLambeth,Two\n", encoding="utf-8")
    import_path(project, a)
    b = tmp_path / "b.csv"
    b.write_text("city,note\nLAMBETH,Three\nLAMBETH,Four\nLAMBETH,Five\nHackney,Six\n",
                 encoding="utf-8")
    (report,) = import_path(project, b)
    assert [tuple(r) for r in project.query(
        "SELECT site, count(*) FROM notes GROUP BY 1 ORDER BY 1")] == [("Hackney", 1),
                                                                      ("Lambeth", 5)]
    assert "b.csv: cities written differently taken as one: “LAMBETH” (3 notes) as " \
           "“Lambeth”" in report.warnings


def test_cities_written_alike_say_nothing(project, tmp_path):
    f = tmp_path / "c.csv"
    f.write_text("city,note\nLeeds,One\nLeeds,Two\nYork,Three\n", encoding="utf-8")
    (report,) = import_path(project, f)
    assert not [w for w in report.warnings if "cities" in w]
