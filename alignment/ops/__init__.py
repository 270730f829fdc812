"""What keeps the site up and fair around the views: health, limits, logging and middleware."""
