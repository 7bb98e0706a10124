"""Labelled, realistic arXiv-style papers for evaluating the for-you ranking offline.

Each category has its own vocabulary (methods, objects, tasks, findings) written the
way abstracts in that field read, filled into sentence shapes every field shares
("We evaluate ... on ...", "Our results suggest ..."). Categories overlap the way
real ones do (cs.RO and cs.CL both say "policy", "transformer", "benchmark"; q-bio
and cs.CL both say "sequence"), so a ranker cannot win on one giveaway word. Each
paper carries its category and a sub-topic tag, the labels the evaluation scores
against. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from paperdeck.core.models import Draft

_ADJ = ("scalable robust efficient interpretable unified hierarchical adaptive "
        "data-driven principled lightweight general")
_VERB = "outperforms improves upon matches surpasses generalises beyond"
SHARED = {
    "adj": _ADJ.split(),
    "verb": _VERB.split(),
    "eval": ["extensive experiments", "a series of ablations", "controlled experiments",
             "large-scale evaluations", "simulation and real data"],
}

CATEGORIES: dict[str, dict[str, list[str]]] = {
    "cs.RO": {
        "topic": ["manipulation", "locomotion", "navigation"],
        "manipulation": ["dexterous grasping", "bimanual manipulation", "contact-rich assembly",
                         "in-hand reorientation", "deformable object manipulation",
                         "tool use with a parallel gripper", "pick-and-place from clutter"],
        "locomotion": ["legged locomotion", "quadruped gait control", "humanoid walking",
                       "terrain-aware locomotion", "whole-body control of legged robots",
                       "sim-to-real transfer of gaits"],
        "navigation": ["visual navigation", "semantic mapping", "multi-robot exploration",
                       "lidar SLAM", "social navigation in crowds", "outdoor path planning"],
        "object": ["robot arm", "mobile manipulator", "quadruped", "humanoid", "end effector",
                   "tactile sensor", "depth camera", "joint torques", "occupancy map"],
        "method": ["diffusion policy", "model predictive control", "imitation learning",
                   "reinforcement learning with domain randomisation", "behaviour cloning",
                   "trajectory optimisation", "visuomotor policy", "teleoperation data"],
        "finding": ["success rate on real hardware", "recovery from perturbations",
                    "zero-shot transfer to unseen objects", "collision-free motion",
                    "robust grasps under occlusion", "energy-efficient gaits"],
    },
    "cs.CL": {
        "topic": ["machine-translation", "summarization", "question-answering"],
        "machine-translation": ["low-resource machine translation", "multilingual translation",
                                "document-level translation", "speech translation",
                                "translation of morphologically rich languages"],
        "summarization": ["abstractive summarization", "long-document summarization",
                          "faithful summaries of news articles", "query-focused summarization",
                          "dialogue summarization"],
        "question-answering": ["open-domain question answering", "multi-hop reasoning over "
                               "passages", "retrieval-augmented question answering",
                               "answering questions over tables", "reading comprehension"],
        "object": ["large language model", "tokenizer", "parallel corpus", "encoder-decoder",
                   "pretrained transformer", "instruction-tuned model", "prompt", "decoder"],
        "method": ["instruction tuning", "in-context learning", "retrieval augmentation",
                   "contrastive decoding", "back-translation", "chain-of-thought prompting",
                   "preference optimisation", "sequence-level distillation"],
        "finding": ["BLEU and COMET gains", "fewer hallucinated facts", "higher ROUGE scores",
                    "exact-match accuracy", "better calibration of answers",
                    "robustness to paraphrased questions"],
    },
    "cs.CV": {
        "topic": ["segmentation", "detection", "generation"],
        "segmentation": ["semantic segmentation", "panoptic segmentation", "video object "
                         "segmentation", "medical image segmentation"],
        "detection": ["open-vocabulary object detection", "3D object detection from point "
                      "clouds", "small object detection in aerial images"],
        "generation": ["text-to-image generation", "image editing with diffusion models",
                       "video generation", "novel view synthesis"],
        "object": ["vision transformer", "convolutional backbone", "pixel decoder",
                   "bounding box", "feature pyramid", "image encoder", "latent diffusion model"],
        "method": ["masked image modelling", "self-supervised pretraining", "knowledge "
                   "distillation", "test-time augmentation", "cross-attention conditioning"],
        "finding": ["mIoU on ADE20K", "AP on COCO", "FID improvements", "sharper boundaries",
                    "temporal consistency across frames"],
    },
    "q-bio.NC": {
        "topic": ["neural-coding", "plasticity"],
        "neural-coding": ["population coding in visual cortex", "grid cells and place cells",
                          "spike train decoding", "sensory adaptation in retina"],
        "plasticity": ["synaptic plasticity", "spike-timing-dependent plasticity",
                       "dendritic computation", "memory consolidation during sleep"],
        "object": ["cortical neurons", "hippocampus", "calcium imaging", "local field potential",
                   "pyramidal cells", "inhibitory interneurons", "mouse cortex"],
        "method": ["recurrent network models", "Bayesian decoding", "mean-field theory",
                   "two-photon imaging", "optogenetic perturbation", "dimensionality reduction"],
        "finding": ["low-dimensional neural dynamics", "stable representations across days",
                    "balanced excitation and inhibition", "predictive coding signatures"],
    },
    "astro-ph.GA": {
        "topic": ["galaxies", "dark-matter"],
        "galaxies": ["galaxy formation", "star formation in dwarf galaxies", "galactic "
                     "chemical evolution", "quenching of massive galaxies"],
        "dark-matter": ["dark matter halos", "gravitational lensing by clusters",
                        "satellite galaxy abundance", "halo density profiles"],
        "object": ["spectroscopic survey", "JWST photometry", "hydrodynamical simulation",
                   "stellar mass function", "redshift", "interstellar medium", "Milky Way"],
        "method": ["N-body simulations", "spectral energy distribution fitting",
                   "Markov chain Monte Carlo inference", "weak lensing shear measurements"],
        "finding": ["a steeper mass-metallicity relation", "cored density profiles",
                    "enhanced star formation at high redshift", "bursty star formation"],
    },
    "math.AG": {
        "topic": ["moduli", "birational"],
        "moduli": ["moduli spaces of curves", "moduli of vector bundles", "stable maps",
                   "Hilbert schemes of points"],
        "birational": ["birational geometry of threefolds", "minimal model program",
                       "Fano varieties", "K-stability"],
        "object": ["projective variety", "coherent sheaf", "line bundle", "Chow ring",
                   "derived category", "toric variety", "cohomology class"],
        "method": ["intersection theory", "Gromov-Witten invariants", "deformation theory",
                   "tropical geometry", "Hodge theory"],
        "finding": ["a formula for the Euler characteristic", "the rationality of the moduli",
                    "boundedness of the family", "a wall-crossing formula"],
    },
}

TITLE_SHAPES = [
    "{Method} for {task}", "{Adj} {task} with {method}", "Towards {adj} {task}",
    "{Task} via {method} and {object}s", "Learning {task} from {object} data",
    "On {task}: {adj} {method} at scale", "{Task} Revisited: {method} meets {object}",
]
ABSTRACT_SHAPES = [
    "{Task} remains a central problem, yet existing {object} pipelines struggle with it.",
    "We study {task} and ask whether {method} can help.",
    "We introduce an {adj} framework that combines {method} with a {object}.",
    "Our key idea is to treat the {object} as a signal for {task}.",
    "The approach relies on {method2}, which we adapt to {task2}.",
    "Through {eval}, we show that it {verb} strong baselines, with {finding}.",
    "Analysis reveals {finding2} and clarifies when {method} fails.",
    "We release code and data to support future work on {task}.",
    "These findings suggest that {method2} is a {adj} route to {task2}.",
]
_FIRST = "Jin Wei Ana Luca Maria Omar Yuki Priya Sofia Chen Ivan Fatima Noah Lea Amir Elena"
_LAST = ("Novak Tanaka Okafor Lindqvist Moreau Haddad Kowalski Ferreira Ito Nair Schmidt Rossi "
         "Petrov Kim Alvarez Dubois Mensah Larsen Gupta Silva")
FIRST, LAST = _FIRST.split(), _LAST.split()


@dataclass
class Labelled:
    draft: Draft
    category: str
    topic: str


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def make_paper(rng: random.Random, category: str, n: int) -> Labelled:
    voc = CATEGORIES[category]
    topic = rng.choice(voc["topic"])
    other = rng.choice(voc["topic"])
    slots = {
        "task": rng.choice(voc[topic]), "task2": rng.choice(voc[other]),
        "method": rng.choice(voc["method"]), "method2": rng.choice(voc["method"]),
        "object": rng.choice(voc["object"]), "finding": rng.choice(voc["finding"]),
        "finding2": rng.choice(voc["finding"]), "adj": rng.choice(SHARED["adj"]),
        "verb": rng.choice(SHARED["verb"]), "eval": rng.choice(SHARED["eval"]),
    }
    slots.update({k.capitalize(): _cap(v) for k, v in list(slots.items())})
    title = rng.choice(TITLE_SHAPES).format(**slots)
    shapes = [ABSTRACT_SHAPES[0]] + rng.sample(ABSTRACT_SHAPES[1:], rng.randint(4, 6))
    abstract = " ".join(s.format(**slots) for s in shapes)
    authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(2, 5))]
    year = rng.randint(2021, 2025)
    arxiv = f"{year % 100:02d}{rng.randint(1, 12):02d}.{10000 + n:05d}"
    return Labelled(Draft(title=title, abstract=abstract, authors=authors, year=year,
                          arxiv_id=arxiv), category, topic)


def make_papers(per_category: int, seed: int = 11,
                categories: tuple[str, ...] = tuple(CATEGORIES)) -> list[Labelled]:
    """`per_category` papers of each category, shuffled (a digest's order is no signal)."""
    rng = random.Random(seed)
    out = [make_paper(rng, cat, i * 1000 + j) for i, cat in enumerate(categories)
           for j in range(per_category)]
    rng.shuffle(out)
    return out
