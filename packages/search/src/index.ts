import './register.js';

export { createGreedySearch, GreedySearch } from './greedy/greedy.js';
