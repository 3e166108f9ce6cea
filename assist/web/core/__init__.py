"""What every area of the web layer uses: the browser session, security headers and CSRF, language
choice, error pages and the page cache."""
