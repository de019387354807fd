"""Evidence: the article corpus, sentence segmentation, mentions and citations."""
