"""Normalisation: what people type must come out as the words they meant."""
import pytest

from pipeline.text import clean, fold_obfuscation, normalise

LEXICON = frozenset({"fuck", "shit", "bastard", "cunt", "twat", "arse", "prick", "wanker", "asshole"})


@pytest.mark.parametrize("typed, meant", [
    ("f*ck", "fuck"),
    ("F**K", "fuck"),
    ("sh1t", "shit"),
    ("b @ s t a r d", "bastard"),
    ("b.a.s.t.a.r.d", "bastard"),
    ("fuuuuuck", "fuck"),
    ("FUUUUCK", "fuck"),
    ("tw@t", "twat"),
    ("a$$hole", "asshole"),
    ("pr1ck", "prick"),
    ("c*nt", "cunt"),
    ("w4nk3r", "wanker"),
])
def test_obfuscated_words_fold_back(typed, meant):
    assert fold_obfuscation(typed, LEXICON) == meant


@pytest.mark.parametrize("text", [
    "Scunthorpe", "assess the class", "Dickens", "good food", "the 2nd time", "at 4pm", "cocktail",
    "Middlesbrough", "I'll see you at 10am",
])
def test_ordinary_words_are_left_alone(text):
    assert fold_obfuscation(text, LEXICON) == text.lower()


@pytest.mark.parametrize("raw, cleaned", [
    ("ﬁne", "fine"),                      # NFKC ligature
    ("wo\u200brd", "word"),               # zero-width space
    ("a\u200d\ufeffb", "ab"),             # zero-width joiner, BOM
    ("bell\x07", "bell"),                 # control character
    ("wоrk", "work"),                     # Cyrillic o
    ("ｆｕｌｌ ｗｉｄｔｈ", "full width"),  # full-width forms
    ("  many   spaces ", "many spaces"),
])
def test_clean(raw, cleaned):
    assert clean(raw) == cleaned


def test_clean_keeps_newlines_and_emoji():
    assert clean("line one\nline two 😡") == "line one\nline two 😡"


@pytest.mark.parametrize("raw, expected", [
    ("see https://bit.ly/3xYz now", "see xxurl bit.ly now"),
    ("www.police.uk/report", "xxurl police.uk"),
    ("thanks @Cleveland_PCC", "thanks xxuser"),
    ("ring 999 or 101", "ring 999 or 101"),
    ("call 07700 900123", "call xxnum xxnum"),
    ("only £20", "only xxmoney"),
    ("email me at jo.bloggs@example.com", "email me at xxemail"),
    # every party is one placeholder; "green" and "reform" are words too, so only with a capital
    ("Never trust a Lib Dem, the Tories or Labour's lot", "never trust a xxparty, the xxparty or xxparty's lot"),
    ("vote Reform UK, or the Greens", "vote xxparty, or the xxparty"),
    ("police reform and more green space", "police reform and more green space"),
])
def test_placeholders(raw, expected):
    assert normalise(raw, LEXICON) == expected


def test_zero_width_inside_a_swear_word_is_caught():
    assert normalise("sh\u200bit", LEXICON) == "shit"


@pytest.mark.parametrize("raw, expected", [
    # quoted abuse, condemned: the quoted words are marked, the writer's own are not
    ("Calling a PCSO a 'fat pig' isn't banter", "calling a pcso a ' xqfat xqpig ' isn't banter"),
    ('People writing "send them all back" should be ashamed',
     'people writing " xqsend xqthem xqall xqback " should be ashamed'),
    ("He said “you’re next” and walked off", "he said “ xqyou’re xqnext ” and walked off"),
    # a quotation ending a sentence, or ending in its own full stop
    ("Saw a comment saying 'burn it down'. Shameful", "saw a comment saying ' xqburn xqit xqdown '. shameful"),
    ("she wrote 'you are scum!' under it", "she wrote ' xqyou xqare xqscum! ' under it"),
    # apostrophes that quote nothing
    ("the lads' night out", "the lads ' night out"),
    ("don't, won't, can't", "don't, won't, can't"),
    ("the lads' night out was fine. The girls' was better", "the lads ' night out was fine. the girls ' was better"),
    # no closing mark within 15 words
    ("' " + "word " * 16 + "'", "' " + "word " * 16 + "'"),
    # an empty pair
    ("they said '' to me", "they said ' ' to me"),
])
def test_quoted_words_are_marked(raw, expected):
    assert normalise(raw, LEXICON) == expected


def test_quoted_words_are_shown_in_quotation_marks():
    from pipeline.text import shown

    assert shown("xqfat xqpig") == "'fat' 'pig'"
    assert shown("useless") == "useless"
