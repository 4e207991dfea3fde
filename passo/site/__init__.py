"""The site around guides and forms: pages from templates (`pages`, `render`), the browser code and styles
fingerprinted and minified (`assets`, `minifier`), the installable app (`pwa`), the search index (`search`), what a
host and a search engine read (`headers`, `seo`), the brand (`branding`), and writing dist/ at once (`write`)."""
