export { readArticles } from './read-articles.js';
