"""Emergency and safeguarding rules: danger now fires (urgent=True); past, hypothetical, idiom do not."""
from __future__ import annotations

import random

import pytest

from pipeline.rules import load_rules
from pipeline.schema import Post


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def urgent(rules, text: str) -> list:
    return [f for f in rules.check([Post(text)])[0] if f.rule.startswith("urgent.")]


@pytest.mark.parametrize("text, rule", [
    ("Someone is breaking into my house right now", "urgent.break_in"),
    ("help there's someone trying to get in my back door", "urgent.break_in"),
    ("There's lads trying to get into my neighbours shed right now, what do I do", "urgent.break_in"),
    ("they're kicking my door in", "urgent.break_in"),
    ("there's a man in my garden", "urgent.break_in"),
    ("what do I do if someone is in my garden right now?", "urgent.break_in"),  # "now" outweighs "if"
    ("there's a man with a knife outside my house", "urgent.weapon"),
    ("he's got a gun", "urgent.weapon"),
    ("they've got a crowbar and they're at the door", "urgent.weapon"),
    ("my friend is bleeding and won't wake up", "urgent.injury"),
    ("he's bleeding", "urgent.injury"),
    ("my mate's been stabbed", "urgent.injury"),
    ("she's not breathing", "urgent.injury"),
    ("Someone is following me along Linthorpe Road", "urgent.followed"),
    ("im being followed", "urgent.followed"),
    ("hes following me home", "urgent.followed"),
    ("he keeps following me", "urgent.followed"),
    ("I want to kill myself", "urgent.self_harm"),
    ("I'm going to end my life tonight", "urgent.self_harm"),
    ("I can't do this anymore. Going down to the Tees tonight and that's it.", "urgent.self_harm"),
    ("i dont want to be alive", "urgent.self_harm"),
    ("my ex is outside and says he'll kill me", "urgent.threat"),
    ("he is threatening to stab me", "urgent.threat"),
    ("she’s gonna kill me", "urgent.threat"),
    ("need an ambulance now", "urgent.help"),
    ("someone call an ambulance", "urgent.help"),
    # Kinds added with the fire, water, assault and abduction patterns, written fresh for each kind.
    # fire or smoke with people at risk; petrol; gas
    ("the flat below is on fire and there's a family still inside", "urgent.fire"),
    ("smoke is pouring under my bedroom door and the landing is full of smoke", "urgent.fire"),
    ("we can't get out. 3rd floor, the stairs are full of smoke", "urgent.fire"),
    ("a lad is pouring petrol through my nan's letterbox", "urgent.fire"),
    ("they're setting him alight in the park", "urgent.fire"),
    ("really strong smell of gas all up the stairwell and someone's lighting a fag", "urgent.fire"),
    # someone in the water: in it, gone in, pushed in, swept out, gone under
    ("there's a little lad in the water off Seaton Carew and the waves are massive", "urgent.water"),
    ("a woman has just fallen into the river by the barrage and she's not a strong swimmer", "urgent.water"),
    ("my son is being swept out past the rocks on his lilo", "urgent.water"),
    ("the dog walker has gone under again, he's not coming back up", "urgent.water"),
    # an assault in progress told with -ing verbs, or "being ..." done to someone
    ("two blokes are kicking a lad on the floor outside the taxi rank", "urgent.assault"),
    ("my stepdad is punching my mum in the kitchen", "urgent.assault"),
    ("there's a woman being beaten in the alley behind Tesco", "urgent.assault"),
    ("he's got her by the throat against the car", "urgent.assault"),
    ("a bloke has her pinned against the wall by the cashpoint", "urgent.assault"),
    # someone forced into a vehicle, a child being taken, someone locked in
    ("a man is dragging a girl into a grey van on Linthorpe Road", "urgent.abduction"),
    ("some fella is trying to grab a little boy from outside the school gates", "urgent.abduction"),
    ("he's locked me in the bedroom and taken my phone", "urgent.threat"),
    ("I'm hiding in the bathroom and he's banging on the door", "urgent.threat"),
    # a medical emergency now: a seizure, heavy bleeding, a fall, not responsive, spiked
    ("my grandad is having a seizure on the number 5 bus", "urgent.injury"),
    ("she's losing a lot of blood from her leg", "urgent.injury"),
    ("my nan's just fallen down the stairs and she isn't responding", "urgent.injury"),
    ("my mate's not responsive and his lips are blue", "urgent.injury"),
    ("I think I've been spiked, I can't feel my legs", "urgent.injury"),
    ("a van has just ploughed into the crowd outside the ground", "urgent.injury"),
    # weapons seen now: what looks like a gun, a broken bottle, shots fired
    ("a man on the bus has what looks like a gun in his waistband", "urgent.weapon"),
    ("lad swinging a machete at the bus stop on Borough Road", "urgent.weapon"),
    ("he's got a broken bottle and he's waving it at people", "urgent.weapon"),
    ("heard gunshots outside just now, four of them", "urgent.weapon"),
    # being followed
    ("I'm being followed by a man in a grey hoodie, I've gone into the Co-op", "urgent.followed"),
    ("a car has been following me since I left work and it's still behind me", "urgent.followed"),
    # someone on the edge, on the railway, an overdose, last words
    ("my brother is sat on the edge of the Newport Bridge", "urgent.self_harm"),
    ("a woman has climbed over the railings on the footbridge", "urgent.self_harm"),
    ("he keeps saying he'll throw himself off the car park roof", "urgent.self_harm"),
    ("I've taken 40 paracetamol", "urgent.self_harm"),
    ("she's taking all her mam's tablets", "urgent.self_harm"),
    ("got my pills lined up on the table", "urgent.self_harm"),
    ("nobody is going to miss me", "urgent.self_harm"),
    ("kids playing on the railway tracks near Redcar and a train's due", "urgent.in_progress"),
    ("my toddler has wandered off in the park, he's 3, blue coat", "urgent.in_progress"),
    ("please send police. he is at my door", "urgent.help"),
])
def test_danger_now_is_urgent(rules, text, rule):
    found = urgent(rules, text)
    assert rule in [f.rule for f in found]
    assert all(f.urgent and f.clause == "urgent_help" for f in found)


@pytest.mark.parametrize("text", [
    "Last night someone broke in and took the telly",
    "What should I do if someone breaks in?",
    "what do you do if you're being followed?",
    "We were burgled two years ago and the police were brilliant",
    "Yesterday a man with a knife robbed the shop",
    "He was stabbed in 2019 and the trial is next week",
    "someone was breaking into cars on our street yesterday",
    "this queue is killing me",
    "this heat is killing me, anyone else?",
    "dying of laughter at this",
    "I nearly died laughing",
    "I'm dying to see the new station",
    "my mum is going to kill me when she sees this",
    "I could murder a pint",
    "Good to see the knife amnesty bins going in at Stockton",
    "knife crime is up in Middlesbrough",
    "it's bleeding ridiculous",
    "thanks for following me!",
    "how do I report someone following me online?",
    "my feelings are hurt by this",
    "We need more police on the streets",
    "",
    # The same kinds told in the past, as a hypothetical, as an idiom or as news.
    # fire: past, hypothetical, idiom, news
    "Our house was on fire in 2015 and the fire brigade were brilliant",
    "If the flat is on fire, get out and stay out",
    "Boro are on fire this season",
    "A house fire in Thornaby yesterday left two people in hospital",
    "Gas leak on Acklam Road last night closed the road",
    "The fella who set fire to the bins got six months",
    # water
    "A man fell into the Tees last year and drowned",
    "What do you do if someone falls in the river?",
    "Kids were swimming in the river all summer",
    "That lad in the Tees was no accident, the inquest said",
    # assault
    "He was hitting her for years before she left",
    "He has been charged with attacking a woman in Acklam",
    "After being attacked last year I don't go out after dark",
    "Boro are being beaten 3-0 at home again",
    "The video of him dragging that lad out of his car has a million views",
    "Smashing it at the charity run this morning!",
    "kicking the ball about on the field with my lad",
    # abduction / locked in / hiding
    "She was dragged into a car in 2019 and he got ten years",
    "I locked myself out of the flat, typical",
    "The PCC is hiding behind his press office again",
    # medical
    "I had a seizure last year and lost my licence",
    "My mum will have a fit when she sees the state of this",
    "the council are having a fit about the bins",
    "Give blood at the Riverside this weekend",
    "I'm not making a complaint, just flagging it",
    "I took 2 tablets for my headache and went to bed",
    # weapons
    "The lad in the drill video still has the gun, police should look at it",
    "Fireworks round here sound like gunshots every November",
    "It went through the budget like a knife through butter",
    "Teesside has a knife problem and it's getting worse",
    "There's a knife surrender bin at the station now",
    "Took my late father's air rifle to the amnesty today",
    # followed
    "The talk will be followed by a Q&A with the Commissioner",
    "Being followed by so many local groups is lovely, thanks all",
    # edge, railway, walking in
    "I was on the edge of my seat watching the match",
    "Houses on the edge of the cliff at Skinningrove are at risk",
    "Vulnerable people need somewhere to walk into",
    "Trespassing on the railway is dangerous and illegal, tell your kids",
    "I'm going to end it with him tonight, he's a waste of space",
])
def test_past_hypothetical_and_idioms_are_not_urgent(rules, text):
    assert urgent(rules, text) == []


def test_span_points_into_the_original_text(rules):
    text = "Please!! my ex is outside and says he’ll kill me"
    finding = next(f for f in urgent(rules, text) if f.rule == "urgent.threat")
    assert text[finding.span[0]:finding.span[1]] == "’ll kill me"  # curly apostrophe and all


def test_one_finding_per_rule(rules):
    found = urgent(rules, "he has a knife, he has a gun, he has a machete")
    assert [f.rule for f in found] == ["urgent.weapon"]


def test_posts_without_content_words_are_not_tokenised(rules, monkeypatch):
    kind = rules.kind("urgent.toml")
    calls = []
    monkeypatch.setattr(kind.nlp, "make_doc", lambda text: calls.append(text) or (_ for _ in ()).throw(AssertionError))
    rules.check([Post("Thanks for the update on the new community hub"), Post("Lovely day in Redcar")])
    assert calls == []


def test_matching_around_the_anchors_finds_what_the_whole_doc_does(rules):
    """Each pattern is matched only on the tokens around its anchor words: the same matches, in the
    same order, as on the whole doc, wherever the anchors are and however many there are."""
    kind = rules.kind("urgent.toml")
    sentences = ["he's got a knife", "someone is in my garden", "I want to kill myself.", "they are following me home",
                 "he is bleeding", "going to kill me", "send the police now", "the knife, the gun and the bat",
                 "Thanks all. Lovely day", "my ex is outside", "he has a big kitchen knife and a gun"]
    rng = random.Random(1)
    texts = sentences + [" ".join(rng.choices(sentences, k=rng.randrange(2, 5))) for _ in range(200)]
    for text in texts:
        doc = kind.nlp.make_doc(text)
        for i, matcher in enumerate(kind.matchers):
            assert kind._matches(i, doc) == [(start, end) for _, start, end in matcher(doc)], (text, i)
