"""Looking at a built site: serving it on 127.0.0.1 (:mod:`.serve`), Lighthouse scores for
`invoke audit` (:mod:`.audit`), screenshots for `invoke screenshots` (:mod:`.screenshots`), and
Debian's Chromium as all of them and the browser tests start it (:mod:`.chromium`). Also the
theme's Font Awesome data, written from the installed package by `invoke icons` (:mod:`.fontawesome`).
"""
