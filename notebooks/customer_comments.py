# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # What customers say
#
# Nearly every satisfaction survey ends with an open question ("Why did you give this
# score?"), and complaint logs are text. This study reads such comments, in English or
# Chinese, and connects them to the scores: what customers talk about (topics), how
# often they raise the classic churn causes and complaint categories (a coding frame),
# how positive they sound (a sentiment model checked on labelled comments) and which
# topics and categories go with low scores. Everything runs offline on the machine; no
# comment leaves it. The bundled corpora are Amazon fine-food reviews
# (`fine_food_reviews`) and Chinese e-commerce reviews (`chinese_product_reviews`); your
# own survey file works too, with its comment column named in the survey description
# (`comments` role) or by the `text` parameter.

# %% tags=["parameters"]
dataset = "fine_food_reviews"  # "fine_food_reviews", "chinese_product_reviews" or a file path (with schema)
schema = None                  # schema of a user file (see csat_analysis.io.read_survey)
survey = None                  # survey description (YAML path or dict): what each column means; None: the data set's own
text = None                    # comment column; None: the `comments` role of the survey description
score = None                   # score or label column; None: the `comments` role
text_language = "auto"         # "auto" (detected per comment), "en" or "zh"
n_topics = None                # number of topics; None: chosen by topic coherence
coding_frame = None            # YAML coding frame (path); None: the bundled churn causes and complaint categories
segment = None                 # column to compare topic shares by; None: low against other scores
sample = None                  # analyse a random sample of this many comments; None: all
seed = 0                       # random seed (sample and topic model)
language = "en"                # report language: "en" (English) or "zh" (simplified Chinese)

# %% [markdown]
# ## Set-up
# Parameters are checked here, so a wrong name fails before any analysis runs. Low scores
# are defined by the survey description (`low_scores`) or, for a 0-10 score, as
# detractors (0-6).

# %%
from csat_analysis import plots
from csat_analysis.studies import StudyRun
from csat_analysis.studies import customer_comments as study

plots.set_theme()
run = StudyRun(dataset, study="customer_comments", schema=schema, survey=survey, seed=seed, language=language)
settings = study.settings(run, text=text, score=score, text_language=text_language, n_topics=n_topics,
                          coding_frame=coding_frame, segment=segment, sample=sample, seed=seed)
run.show_summary()
settings

# %% [markdown]
# ## 1. The corpus
#
# Each comment's language is detected by a transparent rule: a comment is Chinese when
# CJK ideographs make up at least 30% of its letters, otherwise English. English
# comments are split into words with scikit-learn's word pattern; Chinese comments with
# jieba, using the dictionary shipped in the jieba package.

# %%
corpus = study.corpus_section(settings)
run.show(corpus)

# %% [markdown]
# ## 2. Topics
#
# Non-negative matrix factorisation of the comments' TF-IDF weights (stop words and
# negations removed) finds topics: groups of words that occur together. Each topic is
# named by its three strongest words. Unless `n_topics` is set, the number of topics is
# the one (from 3 to 10) whose topics' top words co-occur most in the comments (mean
# UMass coherence). A comment's dominant topic is the one with the largest weight;
# shares carry Wilson 95% intervals.

# %%
topics = study.topics_section(settings)
run.show(topics)

# %% [markdown]
# ## 3. Coded categories
#
# A coding frame assigns comments to fixed categories by keywords and patterns in both
# languages: the controllable churn causes of the widely quoted Rockefeller figures
# (price, product or service quality, indifference; LeBoeuf 1987) plus delivery, value
# and recommendation. A comment can fall into several categories (overlap) or none; the
# uncoded comments are listed for review, since they show which keywords the frame
# misses. Negation is not handled: "not expensive" mentions price.

# %%
categories = study.categories_section(settings)
run.show(categories)

# %% [markdown]
# ## 4. Sentiment
#
# A transparent sentiment model: TF-IDF weights of words, word pairs and (in Chinese)
# short character runs, and a logistic regression. On data with a labelled training
# split it is trained there and checked on the held-out comments; otherwise it is
# trained on the bundled labelled corpus in the comments' language and checked against
# the data's own low scores. The AUC is the probability that a randomly chosen positive
# comment scores higher than a randomly chosen negative one. The table lists the terms
# that push the model most towards each side.

# %%
sentiment = study.sentiment_section(settings)
run.show(sentiment)

# %% [markdown]
# ## 5. What drives low scores
#
# Two logistic regressions of a low score: one on the presence of each topic (a topic
# holding at least a quarter of a comment's weight), one on each coded category. Odds
# ratios above 1 mean comments on that subject go with more low scores, holding the other
# subjects fixed. The share of low scores a subject *accounts for* is Miettinen's
# attributable fraction: the share of low-score comments mentioning it times
# (OR - 1) / OR. Associations, not causes: customers who are unhappy for any reason may
# also write more about price.

# %%
drivers = study.drivers_section(settings, topics, categories)
run.show(drivers)

# %% [markdown]
# ## 6. Findings

# %%
findings = study.key_findings(corpus=corpus, topics=topics, categories=categories, sentiment=sentiment,
                              drivers=drivers)
run.show(findings)

# %%
run.show_references()
