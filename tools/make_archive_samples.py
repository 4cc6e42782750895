#!/usr/bin/env python3
"""Write the sample archives in articles/ (fictional news, written by this project):
a WARC, a WACZ, RSS, Atom, JSON Feed, MHTML, an mbox, an .eml newsletter and a newsboat
cache.db.

  python3 tools/make_archive_samples.py   (from the repository's top)
"""
import gzip, io, json, os, sqlite3, zipfile, quopri

OUT = "articles"
CRLF = b"\r\n"


def page(title, site, date, paras, author="Maren Holt"):
    ps = "".join("<p>%s</p>" % p for p in paras)
    return ("<!doctype html><html><head><meta charset=\"utf-8\"><title>%s | %s</title>"
            "<meta property=\"og:title\" content=\"%s\"><meta property=\"og:site_name\" content=\"%s\">"
            "<meta property=\"article:published_time\" content=\"%s\"><meta name=\"author\" content=\"%s\">"
            "</head><body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><article><h1>%s</h1>%s</article>"
            "<footer><p>&copy; %s</p></footer></body></html>" % (title, site, title, site, date, author, title, ps, site)).encode()


def warc_record(kind, uri, date, block, ct):
    head = ("WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:0000-%s>\r\nWARC-Date: %s\r\n"
            "WARC-Target-URI: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
            % (kind, abs(hash(uri + date)) % 10**8, date, uri, ct, len(block))).encode()
    return gzip.compress(head + block + CRLF + CRLF, mtime=0)


def response(uri, date, body):
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    return warc_record("response", uri, date, http, "application/http; msgtype=response")


HARBOUR = [
    ("https://harbour-times.example/2020/03/pilot-cutter-restored",
     "2020-03-05T09:00:00Z", "Port Ellis pilot cutter restored after ten-year appeal",
     ["The pilot cutter Marigold sailed out of Port Ellis on Thursday for the first time since 2009, "
      "after volunteers raised the last of the money for her new hull planks.",
      "The appeal began with a jumble sale in the harbour master's office and ended with a grant from "
      "the county's maritime trust, which paid for the final third of the work.",
      "Skipper Ola Brandt said the cutter would take schoolchildren out on short trips through the summer, "
      "weather permitting, and would be moored beside the fish market in winter."]),
    ("https://harbour-times.example/2020/03/quay-lights",
     "2020-03-06T09:00:00Z", "New lights for the north quay after winter of complaints",
     ["Twenty lamp posts along the north quay will be replaced in April, the harbour board said, after "
      "fishermen complained all winter that they could not see the mooring rings after dark.",
      "The new lamps use less power and point downwards, which the board said would also please the "
      "residents of the terraces above the quay who objected to the glare of the old ones."]),
]


def warc_and_wacz():
    data = b"".join(response(u, d, page(t, "The Harbour Times", d[:10], ps)) for u, d, t, ps in HARBOUR)
    open(os.path.join(OUT, "023_harbour-captures.warc.gz"), "wb").write(data)
    bridge = ("https://valley-courier.example/2020/03/swing-bridge-walkers", "2020-03-07T09:00:00Z",
              "Walkers keep the old swing bridge while the new one is built",
              ["Councillors agreed on Monday to keep the old swing bridge open to walkers while its "
               "replacement is built alongside, after a petition signed by two thousand people.",
               "Cyclists will have to dismount on the bridge, and it will close to everyone for two "
               "weekends in the autumn when the new deck is lifted into place."])
    w = response(bridge[0], bridge[1], page(bridge[2], "The Valley Courier", bridge[1][:10], bridge[3], "Ivo Brandt"))
    pages = json.dumps({"format": "json-pages-1.0", "id": "pages"}) + "\n" + json.dumps(
        {"url": bridge[0], "ts": bridge[1], "title": bridge[2]}) + "\n"
    with zipfile.ZipFile(os.path.join(OUT, "024_swing-bridge.wacz"), "w") as z:
        z.writestr(zipfile.ZipInfo("archive/data.warc.gz", (2020, 3, 7, 9, 0, 0)), w, compress_type=zipfile.ZIP_STORED)
        z.writestr(zipfile.ZipInfo("pages/pages.jsonl", (2020, 3, 7, 9, 0, 0)), pages, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo("datapackage.json", (2020, 3, 7, 9, 0, 0)),
                   json.dumps({"profile": "data-package", "wacz_version": "1.1.1",
                               "resources": [{"path": "archive/data.warc.gz"}, {"path": "pages/pages.jsonl"}]}),
                   compress_type=zipfile.ZIP_DEFLATED)


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Marden Weekly</title>
<link>https://marden-weekly.example/</link>
<description>News from Marden and the valley</description>
<item>
<title>Marden allotments waiting list closes at two hundred</title>
<link>https://marden-weekly.example/2020/02/allotments</link>
<pubDate>Tue, 25 Feb 2020 07:30:00 GMT</pubDate>
<dc:creator>Petra Lund</dc:creator>
<description>The town's allotment society has stopped taking names.</description>
<content:encoded><![CDATA[<p>The Marden allotment society has closed its waiting list at two hundred names, the longest it has been since the plots were laid out after the war.</p>
<p>Its secretary said a new field behind the cricket ground could hold forty more plots if the council agreed to lease it, and that the society would ask at the next parish meeting.</p>]]></content:encoded>
</item>
<item>
<title>Valley choir sings in the market hall</title>
<link>https://marden-weekly.example/2020/02/choir</link>
<pubDate>Wed, 26 Feb 2020 07:30:00 GMT</pubDate>
<description>&lt;p&gt;The valley choir gave its first concert in the restored market hall on Saturday, to a full house of three hundred.&lt;/p&gt;</description>
</item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Aldmoor Gazette</title>
<id>https://aldmoor-gazette.example/</id>
<updated>2020-03-02T08:00:00Z</updated>
<entry>
<title>Aldmoor station clock to be wound by hand again</title>
<link rel="alternate" href="https://aldmoor-gazette.example/2020/03/clock-winders"/>
<id>tag:aldmoor-gazette.example,2020:clock-winders</id>
<published>2020-03-02T08:00:00Z</published>
<author><name>Tomas Reed</name></author>
<content type="html">&lt;p&gt;The clock above Aldmoor station will be wound by hand again from May, after the electric motor fitted in the eighties failed for the third time this winter.&lt;/p&gt;&lt;p&gt;Six volunteers have signed up to climb the tower each Sunday, and the railway will pay for their training.&lt;/p&gt;</content>
</entry>
</feed>
"""

JSONFEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Shiomi Evening News",
    "home_page_url": "https://shiomi-evening.example/",
    "items": [{
        "id": "ferry-lanterns",
        "url": "https://shiomi-evening.example/2020/02/ferry-lanterns",
        "title": "Shiomi ferry lanterns lit for the spring festival",
        "date_published": "2020-02-27T18:00:00+09:00",
        "authors": [{"name": "Aiko Mori"}],
        "content_html": "<p>Three hundred paper lanterns were hung along the Shiomi ferry pier on Thursday evening for the spring festival, which opens on Saturday.</p><p>The ferry company will run two extra boats each night of the festival, the last leaving the pier at eleven.</p>",
    }],
}


def mhtml():
    html = page("Westhaven beach huts repainted in the old colours", "Westhaven Echo", "2020-02-24",
                ["The forty beach huts on Westhaven's south beach have been repainted in the colours they "
                 "wore in the 1930s, after a local historian found the original paint cards in the town museum.",
                 "Owners paid for the paint and the council paid for the scaffolding; the work took three "
                 "weekends and used three hundred litres of paint."], "Nell Carter")
    qp = quopri.encodestring(html).replace(b"\n", b"\r\n")
    b = b"----MultipartBoundary--sample----"
    msg = (b"From: <Saved by Blink>\r\nSnapshot-Content-Location: https://westhaven-echo.example/2020/02/beach-huts\r\n"
           b"Subject: Westhaven beach huts repainted in the old colours\r\nDate: Mon, 24 Feb 2020 10:00:00 -0000\r\n"
           b"MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"" + b[2:] + b"\"\r\n\r\n\r\n"
           + b + b"\r\nContent-Type: text/html\r\nContent-ID: <frame-0@mhtml.blink>\r\nContent-Transfer-Encoding: quoted-printable\r\n"
           b"Content-Location: https://westhaven-echo.example/2020/02/beach-huts\r\n\r\n" + qp + b"\r\n" + b + b"--\r\n")
    open(os.path.join(OUT, "028_westhaven-beach-huts.mhtml"), "wb").write(msg)


MBOX = """From letters@lyle-bulletin.example Thu Feb 27 07:00:00 2020
From: "The Lyle Bulletin" <letters@lyle-bulletin.example>
To: reader@example.org
Subject: =?utf-8?Q?Lyle_ferry_bell_returns_=E2=80=94_your_morning_letter?=
Date: Thu, 27 Feb 2020 07:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="lyle-1"

--lyle-1
Content-Type: text/plain; charset=utf-8

The bell that called the Lyle ferry for a century is back on its post.
--lyle-1
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<html><body><table><tr><td><h1>Lyle ferry bell returns</h1><p>The bell that c=
alled the Lyle ferry for a century is back on its post by the slipway, after =
a year in a foundry being recast.</p><p>Ferryman Jo Pike rang it three times =
on Wednesday morning, and the ferry came across from the far bank as it used =
to.</p></td></tr></table></body></html>
--lyle-1--

From letters@lyle-bulletin.example Fri Feb 28 07:00:00 2020
From: "The Lyle Bulletin" <letters@lyle-bulletin.example>
To: reader@example.org
Subject: Flood wardens wanted in Lyle
Date: Fri, 28 Feb 2020 07:00:00 +0000
Content-Type: text/plain; charset=utf-8

Lyle's flood group is looking for six new wardens to check the river gauges after heavy rain and knock on doors when the water rises.

Training is on two Saturday mornings in March at the village hall, and the group provides boots, torches and a radio.
"""


# A newsletter as one message: a note to read it in a browser above the story, and the
# subscription footer below it (hidden as clutter); a story sentence about subscribers.
EML = """From: "Valley Notes" <notes@valley-notes.example>
To: reader@example.org
Subject: Marden bookshop changes hands after forty years
Date: Mon, 02 Mar 2020 07:00:00 +0000
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><body><table>
<tr><td><p>Having trouble reading this? View this email in your browser.</p>
<h1>Marden bookshop changes hands after forty years</h1>
<p>The bookshop on Marden's market square has been sold to two of its staff, who have worked there for a combined thirty years and plan to keep its name.</p>
<p>Subscribers who unsubscribe from the shop's printed catalogue will get the same list of new books by post each season, the new owners said.</p>
<p>The former owner, Ruth Adler, will stay on two days a week to run the children's reading hour on Saturdays.</p>
<p>You are receiving this email because you signed up for Valley Notes at valley-notes.example.</p>
<p>Update your email preferences or unsubscribe from this list.</p></td></tr>
</table></body></html>
"""


def newsboat():
    os.makedirs(os.path.join(OUT, "newsboat"), exist_ok=True)
    p = os.path.join(OUT, "newsboat", "cache.db")
    if os.path.exists(p):
        os.remove(p)
    db = sqlite3.connect(p)
    db.executescript("""
CREATE TABLE rss_feed (rssurl VARCHAR(1024) PRIMARY KEY NOT NULL, url VARCHAR(1024) NOT NULL, title VARCHAR(1024) NOT NULL, lastmodified INTEGER(11) NOT NULL DEFAULT 0, is_rtl INTEGER(1) NOT NULL DEFAULT 0, etag VARCHAR(128) NOT NULL DEFAULT "");
CREATE TABLE rss_item (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, guid VARCHAR(64) NOT NULL, title VARCHAR(1024) NOT NULL, author VARCHAR(1024) NOT NULL, url VARCHAR(1024) NOT NULL, feedurl VARCHAR(1024) NOT NULL, pubDate INTEGER NOT NULL, content VARCHAR(65535) NOT NULL, unread INTEGER(1) NOT NULL, enclosure_url VARCHAR(1024), enclosure_type VARCHAR(1024), enqueued INTEGER(1) NOT NULL DEFAULT 0, flags VARCHAR(52), deleted INTEGER(1) NOT NULL DEFAULT 0, base VARCHAR(128) NOT NULL DEFAULT "", content_mime_type VARCHAR(255) NOT NULL DEFAULT "");
""")
    db.execute("INSERT INTO rss_feed (rssurl, url, title) VALUES (?, ?, ?)",
               ("https://gull-point-post.example/feed.xml", "https://gull-point-post.example/", "Gull Point Post"))
    db.execute("INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread, content_mime_type) VALUES (?,?,?,?,?,?,?,?,?)",
               ("seal-count", "Gull Point seal count finds record number of pups", "Hal Moss",
                "https://gull-point-post.example/2020/02/seal-count", "https://gull-point-post.example/feed.xml",
                1582707600,
                "<p>Volunteers counting seals on the sandbanks off Gull Point found 212 pups this winter, the most since the count began in 1994.</p>"
                "<p>The wardens asked walkers to keep dogs on leads on the spit until the end of March, when the pups leave.</p>",
                1, "text/html"))
    # an item already read in newsboat (unread = 0): broadsheet lists it read
    db.execute("INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread, content_mime_type) VALUES (?,?,?,?,?,?,?,?,?)",
               ("spit-path", "Spit path reopens after winter repairs", "Hal Moss",
                "https://gull-point-post.example/2020/02/spit-path", "https://gull-point-post.example/feed.xml",
                1582794000,
                "<p>The footpath along Gull Point spit reopened on Thursday after six weeks of repairs to the boardwalk washed out in the January storms.</p>"
                "<p>The wardens said the new planks were laid on higher posts, and that the path would close again only for the highest spring tides.</p>",
                0, "text/html"))
    db.commit()
    db.close()


def main():
    warc_and_wacz()
    open(os.path.join(OUT, "025_marden-weekly.rss"), "w").write(RSS)
    open(os.path.join(OUT, "026_aldmoor-gazette.atom"), "w").write(ATOM)
    open(os.path.join(OUT, "027_shiomi-evening.json"), "w").write(json.dumps(JSONFEED, indent=1, ensure_ascii=False) + "\n")
    mhtml()
    open(os.path.join(OUT, "029_lyle-bulletin.mbox"), "w").write(MBOX)
    open(os.path.join(OUT, "030_valley-notes.eml"), "w").write(EML)
    newsboat()


if __name__ == "__main__":
    main()
