#!/usr/bin/python3
# make_corpus.py - write the generated seed files of tests/fuzz/corpus/.
#
# Seeds are small valid inputs (and a few near misses) that give libFuzzer a
# start inside each format: msgpack documents (codec), framed messages
# (frames), JOB and DONE batches (batch), JSON lines (json_input), configs (config) and document texts
# (stage, shared by the clean, boilerplate and extract targets). Every text
# here was written for this file. Files this script does not name are left
# alone: crash regressions (regress-*) are added by hand beside the seeds.
# Run it from anywhere: python3 tests/fuzz/make_corpus.py
# SPDX-License-Identifier: MIT
import os
import sys

import msgpack

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")


def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def pack(obj):
    return msgpack.packb(obj, use_bin_type=True)


# ---------------------------------------------------------------- texts

TEXTS = {
    "en-article.txt": (
        "Harbour council approves new ferry timetable\n"
        "By Maren Holt, Transport Reporter\n"
        "Published 14 March 2024, 09:30 GMT\n\n"
        "PORTWICK - The harbour council voted 7-2 on Tuesday to extend the evening "
        "ferry service to the outer islands, ending a two-year dispute with residents.\n\n"
        "\"We listened,\" said council chair Dr. Ana Lindqvist. \"People on Skerra "
        "and Holm need to get home after work.\"\n\n"
        "The new timetable starts on 1 April &amp; adds four crossings a day.\n"
        "Share this article  Facebook  Twitter  Email\n"
        "Photo: Jonas Berg / Portwick Herald\n"
        "Sign up for our newsletter\n"),
    "fr-entities.txt": (
        "Le conseil r&eacute;gional adopte le budget 2025\n"
        "Par Claire Dubois &ndash; 3 f&eacute;vrier 2025 &agrave; 18h05\n\n"
        "LYON &#8212; Apr&egrave;s six heures de d&eacute;bat, les &eacute;lus ont "
        "adopt&eacute; un budget de 4,2&nbsp;milliards d&#x2019;euros.\n"
        "&laquo;&nbsp;C&rsquo;est un budget de responsabilit&eacute;&nbsp;&raquo;, "
        "a d&eacute;clar&eacute; la pr&eacute;sidente.\n"
        "Lire aussi : &lt;b&gt;Les transports en question&lt;/b&gt; &amp;amp; &bogus; &#0; &#x110000;\n"),
    "de-dateline.txt": (
        "Neue Brücke über die Elde eröffnet\n"
        "Von Jens Ahlgrimm | 22.11.2023, 14:12 Uhr\n\n"
        "SCHWERIN (dpa) – Nach drei Jahren Bauzeit ist die Straßenbrücke am Montag "
        "für den Verkehr freigegeben worden. Bürgermeisterin Katrin Möller sprach von "
        "einem „wichtigen Tag für die Region“.\n"
        "Mehr zum Thema\nAlle Rechte vorbehalten\n"),
    "ru-cyrillic.txt": (
        "В Новосибирске открылась выставка северной графики\n"
        "Автор: Ольга Смирнова, 5 октября 2022 года\n\n"
        "НОВОСИБИРСК, 5 окт — Более двухсот работ представлено в городской галерее. "
        "«Это первая такая выставка за десять лет», — сказал куратор Павел Орлов.\n"),
    "cjk-mixed.txt": (
        "東京都、新しい自転車道を整備へ\n2024年6月3日 10時15分\n\n"
        "東京都は３日、都心部に全長１２キロの自転車専用道を整備すると発表した。\n"
        "서울시도 비슷한 계획을 검토 중이다.\n"
        "北京市也在讨论类似的方案。\n"),
    "ar-rtl.txt": (
        "افتتاح مكتبة عامة جديدة في المدينة القديمة\n"
        "بقلم سارة الحسن - ١٢ مارس ٢٠٢٣\n\n"
        "قال رئيس البلدية إن المكتبة ستفتح أبوابها يومياً حتى العاشرة مساءً.\n"),
    "mojibake.txt": (
        "CafÃ© owners welcome the new rules â€” a â€œfair dealâ€\u009d, "
        "says Ãlvaro GarcÃ­a.\nThe price rose to 5 â‚¬ from 4,50 â‚¬.\n"
        "Ð\u009fÑ\u0080Ð¸Ð²ÐµÑ\u0082 (double-encoded Cyrillic)\n"),
    "typography.txt": (
        "\ufeffQuarterly results \u2013 \u201cstrong\u201d growth\u2026\n"
        "Revenue:\u00a0\u20ac12.4m\u2009(+8\u00a0%)\u200b\u200b\r\n\r\n\r\n\r\n"
        "ﬁnance ﬂoor \u2460 \u00bd e\u0301te\u0301 A\u030a\n\t\t   indented   line   \n"),
}

BYTES = {
    "invalid-utf8.bin": b"Valid start \xc3\xa9 then \xff\xfe bad \xe2\x82 cut \xed\xa0\x80 "
                        b"surrogate \xf4\x90\x80\x80 too high \xc0\xaf overlong\n",
    "nul-control.bin": b"Title\x00with NUL\n\x01\x02\x1b[31mred\x1b[0m\x7f\x0c\x0b\r\rend\n",
    "latin1.bin": "Ol\u00e9! Se\u00f1or M\u00fcller pays 5 \u00a3 at the caf\u00e9.\n"
                  .encode("latin-1"),
}

# Three documents of one source (form feeds separate them in a stage input)
# sharing a header and footer, so the boilerplate stage learns the lines.
SHARED_TOP = "Northfield Gazette | Home | Local | Sport | Weather\n"
SHARED_BOTTOM = "\nCopyright 2024 Northfield Gazette. All rights reserved.\nContact us | Privacy\n"
LEARN = "\f".join(SHARED_TOP + body + SHARED_BOTTOM for body in (
    "School roof repairs finish early\nThe work cost less than planned, the head teacher said.\n",
    "Library extends weekend hours\nVisitors can now borrow books on Sundays from 10:00.\n",
    "Market square to close for resurfacing\nTraders will move to Mill Lane for six weeks.\n",
    "Bus route 12 returns on Monday\nThe detour around the bridge works ends this week.\n"))


def stage_seeds():
    for name, text in TEXTS.items():
        put("stage", name, text)
    for name, data in BYTES.items():
        put("stage", name, data)
    put("stage", "learn-4docs.txt", LEARN)
    put("stage", "empty.txt", b"")


# ---------------------------------------------------------------- documents

def full_doc(text, **extra):
    d = {"id": "doc-1", "source": "feed-a", "text": text, "fields": {}, "scores": {},
         "status": {"state": "ok"}, "trace": [], "attempt": 1}
    d.update(extra)
    return d


def codec_seeds():
    put("codec", "producer-min.mp", pack({"text": "hello"}))
    put("codec", "producer-all.mp", pack({"id": "p-17", "source": "rss", "text": TEXTS["en-article.txt"],
                                          "fields": {"lang_hint": "en", "n": 3}}))
    put("codec", "producer-bin-text.mp", pack({"id": "b", "text": BYTES["invalid-utf8.bin"]}))
    fields = {"title": "Ferry", "words": 120, "ratio": 0.25, "neg": -7, "ok": True, "none": None,
              "tags": ["a", "b", ["nested", 1.5]], "page_meta": {"author": "M. Holt", "n": {"deep": [{}]}}}
    put("codec", "full-ok.mp", pack(full_doc("Text body.", fields=fields,
                                             scores={"quality": 0.75, "dup": 0},
                                             trace=[{"stage": "clean", "us": 12, "version": "1.0.0"}])))
    put("codec", "full-dropped.mp", pack(full_doc("x", status={"state": "dropped", "stage": "score",
                                                               "reason": "too short"}, attempt=2)))
    put("codec", "full-failed.mp", pack(full_doc("y", status={"state": "failed", "stage": "extract",
                                                              "error": "EDOC: bad"},
                                                 trace=[{"stage": "clean", "us": 1}])))
    put("codec", "full-float32.mp", b"\x83\xa2id\xa1f\xa4text\xa1t\xa6fields\x81\xa1x\xca\x3f\xc0\x00\x00")
    # Near misses: lying headers, nesting, not a map.
    put("codec", "lie-map32.mp", b"\xdf\xff\xff\xff\xff\xa4text")
    put("codec", "lie-str32.mp", b"\x81\xa4text\xdb\x7f\xff\xff\xffabc")
    put("codec", "nested.mp", b"\x82\xa4text\xa1t\xa6fields\x81\xa1k" + b"\x91" * 40 + b"\xc0")
    put("codec", "array.mp", pack(["text", "x"]))


def json_seeds():
    lines = [
        ("min.json", '{"id": "j1", "text": "hello"}'),
        ("all.json", '{"id": "j2", "source": "feed", "text": "Caf\\u00e9 \\u0000 nul", '
                     '"fields": {"lang_hint": "fr", "n": 2, "x": 1.5e-3, "l": [true, null, {"a": []}]}}'),
        ("full.json", '{"id":"j3","source":"","text":"t","fields":{},"scores":{"quality":0.123456789012345},'
                      '"status":{"state":"dropped","stage":"score","reason":"dup"},'
                      '"trace":[{"stage":"clean","us":5,"version":"1.0.0"}],"attempt":3}'),
        ("bad-type.json", '{"id": 5, "text": ["x"]}'),
        ("unicode.json", '{"id": "\\u00e9t\\u00e9-\\ud83d\\ude00", "text": "' + TEXTS["ru-cyrillic.txt"]
                         .replace("\n", "\\n").replace('"', '\\"') + '"}'),
    ]
    for name, line in lines:
        put("json_input", name, line + "\n")


# ---------------------------------------------------------------- frames

def framed(*frames):
    """fuzz_frames.c's format: a length byte then the bytes; 0xff = the rest."""
    out = b""
    for i, f in enumerate(frames):
        if isinstance(f, str):
            f = f.encode()
        if i + 1 == len(frames):
            out += b"\xff" + f
        else:
            assert len(f) < 255
            out += bytes([len(f)]) + f
    return out


def batch_seeds():
    doc = pack({"id": "p-1", "text": "hello"})
    put("batch", "job.mp", pack([[17, 1, doc], [18, 2, doc], [2**64 - 1, 9, b""]]))
    put("batch", "done.mp", pack([[17, 0, b'{"id":"p-1"}\n', "1 -1 12"], [18, -1005, b"", "0 2 -1"]]))
    put("batch", "empty.mp", pack([]))
    put("batch", "count-bomb.mp", b"\xdd\xff\xff\xff\xff\x93\x01\x01\xc4\x00")


def frames_seeds():
    doc = pack({"id": "p-1", "text": "hello", "fields": {"a": 1}})
    put("frames", "push.fr", framed(b"\x00\x6b\x8b\x45\x67", "SIFTP1", b"\x01", "c-1", "default", doc))
    put("frames", "push-no-pipeline.fr", framed(b"\x00id", "SIFTP1", b"\x01", "c", "", doc))
    put("frames", "ready.fr", framed(b"\x00w", "SIFTW2", b"\x01", "clean+boilerplate", "4", "4242"))
    job = pack([[17, 1, doc], [18, 2, doc]])
    done = pack([[17, 0, b'{"id":"p-1"}\n', "1 -1 12"], [18, -1005, b"", "0 2 -1"]])
    put("frames", "done.fr", framed(b"\x00w", "SIFTW2", b"\x03", done))
    put("frames", "job.fr", framed("SIFTW2", b"\x02", job))
    put("frames", "stats.fr", framed("SIFTC1", b"\x01"))
    put("frames", "numbers.fr", framed("-", "-0", "123456789012345678", "1234567890123456789", "+5", "0x10"))
    put("frames", "many.fr", b"\x00" * 780)  # more frames than SIFT_PROTO_MAX_FRAMES


# ---------------------------------------------------------------- configs

GOOD_PIPE = 'pipelines = ( { name = "default"; stages = ( { plugin = "probe"; } ); } );\n'

CONFIGS = {
    "good-pipe.conf": GOOD_PIPE,
    "problems.conf": (
        'plugn_path = "x";\nlimits = { max_attempts = 0;\n stage_deadline_ms = "slow"; };\n'
        'sinks = ( { name = "out"; type = "csv"; path = "o"; } );\n'
        'pipelines = (\n { name = "p"; stages = ( { plugin = "probe"; },\n   { plugin = "probe"; } );\n'
        '   sinks = [ "nowhere" ]; },\n { name = "p"; stages = ( { plugin = "probe"; } ); } );\n'
        'dead_letter = "gone";\n'),
    "options.conf": (
        'sinks = ( { name = "r"; type = "jsonl"; path = "r.jsonl"; sync = true; },\n'
        '          { name = "z"; type = "zmq_pub"; endpoint = "tcp://127.0.0.1:5599"; bind = false; } );\n'
        'dead_letter = "r";\n'
        'limits = { max_doc_bytes = 65536; worker_credit = 2; worker_batch = 1; };\n'
        'endpoints = { ingest = [ "ipc://a.sock", "tcp://127.0.0.1:5555" ]; };\n'
        'pipelines = ( { name = "news"; sinks = [ "r", "z" ]; stages = (\n'
        '  { plugin = "clean"; options = { normalize = "nfkc"; max_blank_lines = 2; fold_typography = true; }; },\n'
        '  { plugin = "boilerplate"; workers = 2; options = { learn = false; extra_patterns = [ "^Read more" ];'
        ' switch_cost = 2.5; }; },\n'
        '  { plugin = "extract"; options = { max_entities = 5; languages = [ "en", "de" ]; }; },\n'
        '  { plugin = "score"; isolate = true; options = { min_words = 10; topics = [ "sport" ]; }; } ); } );\n'),
    "spool.conf": GOOD_PIPE + 'spool = { path = "spool"; sync = "full"; max_bytes = 1048576; };\n',
}


def config_seeds():
    with open(os.path.join(SRC, "conf", "siftd.conf"), "rb") as f:
        put("config", "siftd.conf", f.read())
    for name, text in CONFIGS.items():
        put("config", name, text)


def main():
    stage_seeds()
    codec_seeds()
    json_seeds()
    frames_seeds()
    batch_seeds()
    config_seeds()
    return 0


if __name__ == "__main__":
    sys.exit(main())
