"""The structure of a draft as negotiators cite it: parts, articles, paragraphs, points, options."""
