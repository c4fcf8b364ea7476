"""Text helpers every stage shares: sentence segmentation, language identification, English and
French word forms, matching and regular-expression helpers."""
