import { createRoot } from 'react-dom/client';
import { App } from './App.jsx';
import { connect } from './client.js';
import './style.css';

connect();
createRoot(document.getElementById('root')).render(<App />);
