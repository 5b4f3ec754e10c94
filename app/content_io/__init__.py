"""The content round trip above the features it reads and writes: `load` the content tree,
`export` the published content back into it, `check` it for gaps, and their `flask content`
commands (cli.py). Each feature keeps the reader and writer of its own file format; this
package only orchestrates them."""
