package load

import "strings"

// Suggest returns the candidate closest to word, for a "did you mean"
// hint, or "" when none is close enough to be a likely misspelling: at most
// one edit for words of up to five letters, two for longer ones, counting
// a change of case as no edit and a swap of neighbouring letters as one
// edit. Ties go to the earlier candidate.
func Suggest(word string, candidates []string) string {
	limit := 1
	if len([]rune(word)) > 5 {
		limit = 2
	}
	best, bestDist := "", limit+1
	w := strings.ToLower(word)
	for _, c := range candidates {
		if c == word {
			continue
		}
		if d := editDistance(w, strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and transpositions of neighbours.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}
