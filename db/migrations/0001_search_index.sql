-- Full-text search over the registries. Two contentless FTS5 indexes keyed by search_docs.rowid:
-- trigrams answer queries of 3+ characters; queries of 1-2 characters (common in Korean: "대한")
-- are answered by an index of every 1- and 2-character gram, written by the app's indexer.
CREATE VIRTUAL TABLE `search_tri` USING fts5(body, content='', contentless_delete=1, tokenize='trigram remove_diacritics 0');
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_gram` USING fts5(body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');
